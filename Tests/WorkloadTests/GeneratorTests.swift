import Foundation
import MoECore
import Testing

@testable import Workload

@Suite struct GeneratorTests {
    /// Mean rate (req/s) and gap CV of the first `count` arrivals.
    static func rateAndCV(_ source: inout some RequestSource, count: Int) throws -> (rate: Double, cv: Double) {
        var limited = try TransformedSource(source, transform: WorkloadTransform(limit: count))
        let arrivals = try TraceFixtures.drain(&limited).map(\.arrival.seconds)
        let gaps = zip(arrivals, arrivals.dropFirst()).map { $1 - $0 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
        return (1 / mean, variance.squareRoot() / mean)
    }

    @Test func poissonArrivalsHitTheirRateWithCVOne() throws {
        var workload = try SyntheticWorkload(
            arrivals: PoissonArrivals(rate: 8), lengths: .fixed(promptTokens: 100, outputTokens: 10), seed: 1)
        let (rate, cv) = try Self.rateAndCV(&workload, count: 100_000)
        #expect(abs(rate / 8 - 1) < 0.015)
        #expect(abs(cv - 1) < 0.02)
    }

    @Test(arguments: [0.5, 2.0, 4.0])
    func gammaArrivalsHitTheirRateAndCV(cv target: Double) throws {
        var workload = try SyntheticWorkload(
            arrivals: GammaArrivals(rate: 3, cv: target), lengths: .fixed(promptTokens: 1, outputTokens: 1), seed: 2)
        let (rate, cv) = try Self.rateAndCV(&workload, count: 200_000)
        #expect(abs(rate / 3 - 1) < 0.03)
        #expect(abs(cv / target - 1) < 0.05)
    }

    @Test func diurnalArrivalsFollowTheirDailyCurve() throws {
        let curve = DiurnalArrivals.Curve.sinusoid(meanRate: 2, peakToTrough: 3, peakHour: 14)
        let arrivals = try DiurnalArrivals(curve: curve)
        #expect(abs(arrivals.rate(at: .seconds(14 * 3600)) - 3) < 1e-9)
        #expect(abs(arrivals.rate(at: .seconds(2 * 3600)) - 1) < 1e-9)
        var workload = try TransformedSource(
            SyntheticWorkload(arrivals: arrivals, lengths: .fixed(promptTokens: 1, outputTokens: 1), seed: 3),
            transform: WorkloadTransform(duration: .seconds(86_400)))
        var perHour = [Int](repeating: 0, count: 24)
        while let request = try workload.next() { perHour[Int(request.arrival.seconds / 3600)] += 1 }
        // 2 req/s on average over a day; 3 req/s in the peak hour, 1 req/s in the trough hour.
        #expect(abs(Double(perHour.reduce(0, +)) / 172_800 - 1) < 0.02)
        #expect(abs(Double(perHour[14]) / 3600 / 2.98 - 1) < 0.05)
        #expect(abs(Double(perHour[2]) / 3600 / 1.02 - 1) < 0.08)
    }

    @Test func hourlyRatesAreHeldWithinEachHour() throws {
        var rates = [Double](repeating: 0.5, count: 24)
        rates[9] = 4
        let arrivals = try DiurnalArrivals(curve: .hourly(rates), startHour: 8)
        var workload = try TransformedSource(
            SyntheticWorkload(arrivals: arrivals, lengths: .fixed(promptTokens: 1, outputTokens: 1), seed: 4),
            transform: WorkloadTransform(duration: .seconds(3 * 3600)))
        var perHour = [0, 0, 0]
        while let request = try workload.next() { perHour[Int(request.arrival.seconds / 3600)] += 1 }
        #expect(abs(Double(perHour[1]) / 14_400 - 1) < 0.04)
        #expect(abs(Double(perHour[0]) / 1_800 - 1) < 0.1)
        #expect(abs(Double(perHour[2]) / 1_800 - 1) < 0.1)
    }

    @Test func theSameSeedGivesTheSameWorkload() throws {
        let table = try LengthTable(promptTokens: [10, 20, 30], outputTokens: [1, 2, 3])
        func run(_ seed: UInt64) throws -> [RequestSpec] {
            var workload = try TransformedSource(
                SyntheticWorkload(arrivals: GammaArrivals(rate: 5, cv: 2), lengths: .table(table), seed: seed),
                transform: WorkloadTransform(limit: 1_000))
            return try TraceFixtures.drain(&workload)
        }
        #expect(try run(11) == run(11))
        #expect(try run(11) != run(12))
        #expect(try run(11).first?.arrival == .zero)
    }

    @Test func changingTheLengthsLeavesTheArrivalsAlone() throws {
        func arrivals(_ lengths: LengthDistribution) throws -> [SimTime] {
            var workload = try TransformedSource(
                SyntheticWorkload(arrivals: PoissonArrivals(rate: 5), lengths: lengths, seed: 5),
                transform: WorkloadTransform(limit: 100))
            return try TraceFixtures.drain(&workload).map(\.arrival)
        }
        let table = try LengthTable(promptTokens: [10, 20], outputTokens: [1, 2])
        #expect(try arrivals(.fixed(promptTokens: 1, outputTokens: 1)) == arrivals(.table(table)))
    }

    @Test func impossibleParametersAreRejected() {
        #expect(throws: WorkloadError.self) { try PoissonArrivals(rate: 0) }
        #expect(throws: WorkloadError.self) { try GammaArrivals(rate: 1, cv: -1) }
        #expect(throws: WorkloadError.self) { try DiurnalArrivals(curve: .hourly([1, 2])) }
        #expect(throws: WorkloadError.self) {
            try DiurnalArrivals(curve: .sinusoid(meanRate: 1, peakToTrough: 0.5, peakHour: 0))
        }
        #expect(throws: WorkloadError.self) {
            try SyntheticWorkload(
                arrivals: PoissonArrivals(rate: 1), lengths: .fixed(promptTokens: 0, outputTokens: 1), seed: 0)
        }
    }
}
