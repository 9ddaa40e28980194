import MoECore

/// Arrivals of a homogeneous Poisson process: exponential gaps with mean 1 / `rate` (inter-arrival CV 1).
public struct PoissonArrivals: ArrivalProcess, Hashable {
    /// Mean arrivals per second.
    public let rate: Double

    /// A Poisson process with `rate` requests per second; throws unless the rate is positive.
    public init(rate: Double) throws {
        try WorkloadError.requirePositive(rate, "Poisson rate")
        self.rate = rate
    }

    /// An exponential gap with mean 1 / rate.
    public func nextGap(after now: SimTime, using generator: inout SeededGenerator) -> SimDuration {
        .seconds(generator.nextExponential(rate: rate))
    }
}
