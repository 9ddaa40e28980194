import Foundation
import MoECore

/// A non-homogeneous Poisson process whose rate follows a 24-hour curve (the daily load cycle).
///
/// The curve's 24 hours may be mapped onto a shorter or longer cycle (`dayLength`), so a scenario can
/// compress a day into an hour of simulated time. Sampled by thinning (Lewis and Shedler 1979): candidates come from a Poisson process at the
/// curve's maximum rate, and one at time t is kept with probability rate(t) / maximum.
public struct DiurnalArrivals: ArrivalProcess, Hashable {
    /// The shape of the daily rate curve.
    public enum Curve: Hashable, Sendable {
        /// rate(h) = mean · (1 + a·cos(2π(h − peakHour)/24)) with a = (r − 1)/(r + 1), r = peakToTrough.
        case sinusoid(meanRate: Double, peakToTrough: Double, peakHour: Double)
        /// 24 rates (req/s), one per hour of the day, held constant within the hour.
        case hourly([Double])
    }

    /// The daily curve.
    public let curve: Curve
    /// Hour of day at simulated time 0 (e.g. 9.5 starts the workload at 09:30).
    public let startHour: Double
    /// Simulated time one cycle of the curve's 24 hours takes (a real day by default).
    public let dayLength: SimDuration
    /// The curve's maximum rate, the candidate rate of thinning.
    public let maximumRate: Double

    /// A diurnal process; throws for a non-positive mean, a ratio below 1, a table that is not 24
    /// non-negative rates with at least one positive, or a non-positive day length.
    public init(curve: Curve, startHour: Double = 0, dayLength: SimDuration = .seconds(86_400)) throws {
        switch curve {
        case .sinusoid(let meanRate, let peakToTrough, let peakHour):
            try WorkloadError.requirePositive(meanRate, "diurnal mean rate")
            guard peakToTrough >= 1, peakToTrough.isFinite, peakHour.isFinite else {
                throw WorkloadError.invalidParameter(
                    name: "diurnal curve", message: "expected a finite peak-to-trough ratio ≥ 1, found \(peakToTrough)")
            }
            maximumRate = meanRate * (1 + Self.amplitude(peakToTrough))
        case .hourly(let rates):
            guard rates.count == 24, rates.allSatisfy({ $0 >= 0 && $0.isFinite }), let peak = rates.max(), peak > 0
            else {
                throw WorkloadError.invalidParameter(
                    name: "diurnal hourly rates", message: "expected 24 non-negative rates, at least one positive")
            }
            maximumRate = peak
        }
        guard startHour.isFinite else {
            throw WorkloadError.invalidParameter(name: "diurnal start hour", message: "expected a finite hour")
        }
        guard dayLength > .zero else {
            throw WorkloadError.invalidParameter(
                name: "diurnal day length", message: "expected a positive duration, found \(dayLength)")
        }
        self.curve = curve
        self.startHour = startHour
        self.dayLength = dayLength
    }

    /// The arrival rate (req/s) at simulated time `time`.
    public func rate(at time: SimTime) -> Double {
        let hour = (startHour + time.seconds / (dayLength.seconds / 24)).truncatingRemainder(dividingBy: 24)
        let hourOfDay = hour < 0 ? hour + 24 : hour
        switch curve {
        case .sinusoid(let meanRate, let peakToTrough, let peakHour):
            return meanRate * (1 + Self.amplitude(peakToTrough) * cos(2 * Double.pi * (hourOfDay - peakHour) / 24))
        case .hourly(let rates):
            return rates[min(Int(hourOfDay), 23)]
        }
    }

    /// The gap to the next kept candidate of the thinning.
    public func nextGap(after now: SimTime, using generator: inout SeededGenerator) -> SimDuration {
        var candidate = now
        repeat {
            candidate += .seconds(generator.nextExponential(rate: maximumRate))
        } while generator.nextUnitDouble() * maximumRate >= rate(at: candidate)
        return candidate - now
    }

    private static func amplitude(_ peakToTrough: Double) -> Double { (peakToTrough - 1) / (peakToTrough + 1) }
}
