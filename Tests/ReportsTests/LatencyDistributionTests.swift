import MoECore
import Reports
import Testing

@Suite struct LatencyDistributionTests {
    @Test func exactPercentilesInterpolateLikeNumPy() throws {
        var distribution = LatencyDistribution()
        for milliseconds in [4.0, 1, 3, 2] { distribution.record(.milliseconds(milliseconds)) }
        // numpy.percentile([1, 2, 3, 4], [50, 90, 99]) = [2.5, 3.7, 3.97]
        #expect(distribution.median == .microseconds(2500))
        #expect(distribution.percentile(90) == .microseconds(3700))
        #expect(distribution.percentile(99) == .microseconds(3970))
        #expect(distribution.percentile(0) == .milliseconds(1))
        #expect(distribution.percentile(100) == .milliseconds(4))
        #expect(distribution.mean == .microseconds(2500))
        // numpy.std([1, 2, 3, 4]) = 1.1180339887 ms
        let deviation = try #require(distribution.standardDeviation)
        #expect(abs(deviation.milliseconds - 1.1180339887) < 1e-6)
    }

    @Test func aRecordingWithACountIsThatManyRecordings() {
        var grouped = LatencyDistribution()
        var single = LatencyDistribution()
        for (value, count) in [(10, 3), (2, 1), (7, 5)] {
            grouped.record(.milliseconds(Double(value)), count: count)
            for _ in 0..<count { single.record(.milliseconds(Double(value))) }
        }
        #expect(grouped.count == 9)
        for percent in [0.0, 10, 25, 50, 75, 90, 99, 100] {
            #expect(grouped.percentile(percent) == single.percentile(percent), "p\(percent)")
        }
        #expect(grouped.mean == single.mean)
    }

    @Test func pastItsCapacityItKeepsPercentilesWithinAThousandthInBoundedMemory() throws {
        var exact = LatencyDistribution(exactCapacity: 1 << 20)
        var bounded = LatencyDistribution(exactCapacity: 1_000)
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<50_000 {
            let value = SimDuration.seconds(generator.nextExponential(rate: 20))
            exact.record(value)
            bounded.record(value)
        }
        #expect(exact.isExact && !bounded.isExact)
        #expect(bounded.count == exact.count)
        #expect(bounded.mean == exact.mean)
        for percent in [50.0, 90, 99, 99.9] {
            let truth = try #require(exact.percentile(percent)).seconds
            let estimate = try #require(bounded.percentile(percent)).seconds
            #expect(abs(estimate - truth) / truth < 2e-3, "p\(percent): \(estimate) vs \(truth)")
        }
    }

    @Test func mergingGivesTheDistributionOfBoth() {
        var left = LatencyDistribution(exactCapacity: 2)
        var right = LatencyDistribution()
        var both = LatencyDistribution()
        for value in [5.0, 1, 9] {
            left.record(.milliseconds(value))
            both.record(.milliseconds(value))
        }
        for value in [3.0, 7] {
            right.record(.milliseconds(value))
            both.record(.milliseconds(value))
        }
        left.merge(right)
        #expect(left.count == 5)
        #expect(left.mean == both.mean)
        #expect(abs(left.median!.milliseconds - 5) < 0.01)
    }

    @Test func anEmptyDistributionHasNoFigures() {
        let empty = LatencyDistribution()
        #expect(empty.mean == nil && empty.median == nil && empty.standardDeviation == nil)
        #expect(empty.percentile(99) == nil)
    }
}
