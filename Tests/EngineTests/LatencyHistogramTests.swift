import Engine
import MoECore
import Testing

@Suite struct LatencyHistogramTests {
    @Test func samplesFallInTheFirstBucketWhoseBoundIsAtLeastThemAsPrometheusCountsThem() {
        var histogram = LatencyHistogram(upperBounds: [0.1, 0.5, 1])
        for milliseconds in [50.0, 100, 100.001, 700, 2_000] { histogram.record(.milliseconds(milliseconds)) }
        #expect(histogram.bucketCounts == [2, 1, 1, 1])
        #expect(histogram.cumulativeCounts == [2, 3, 4, 5])
        #expect(histogram.count == 5)
        #expect(abs(histogram.sum - 2.950001) < 1e-9)
        #expect(histogram.maximum == 2)
    }

    @Test func quantilesInterpolateInsideTheirBucket() throws {
        var histogram = LatencyHistogram(upperBounds: [1, 2, 4])
        for _ in 0..<10 { histogram.record(.seconds(1.5)) }
        #expect(LatencyHistogram(upperBounds: [1]).quantile(0.5) == nil)
        // All ten samples in (1, 1.5]: the bucket's top is clipped to the largest sample.
        #expect(try #require(histogram.quantile(0.5)) == 1.25)
        histogram.record(.seconds(10))
        #expect(histogram.quantile(1) == 10)
        #expect(histogram.mean == 25.0 / 11)
    }

    @Test func vLLMsBucketBoundsAreUsed() {
        #expect(LatencyHistogram.timeToFirstToken.upperBounds.count == 22)
        #expect(LatencyHistogram.timeToFirstToken.upperBounds.last == 2560)
        #expect(LatencyHistogram.interTokenLatency.upperBounds.first == 0.01)
        #expect(LatencyHistogram.requestLatency.upperBounds.last == 7680)
        #expect(LatencyHistogram.overhead.upperBounds.count == 71)
    }
}
