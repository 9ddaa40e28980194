import MoECore
import Reports
import Testing

@Suite struct UtilizationSeriesTests {
    static let instance = UtilizationSeries.Instance(
        name: "colocated-0", role: .colocated, deviceOffset: 0, devices: 8, attentionDP: 8, devicesPerNode: 8,
        expertLoadShares: [1.2, 0.8])

    static func sample(mfu: Double = 0.5) -> StepSample {
        StepSample(
            sequences: 10, kvUsage: 0.25, mfu: mfu, hbmBandwidthUtilization: 0.4, linkUtilization: 0.1,
            prefillTokens: 100, outputTokens: 10)
    }

    @Test func aStepSpanningBucketsIsSplitByTime() {
        var series = UtilizationSeries(instances: [Self.instance], initialBucketWidth: .seconds(1))
        series.add(instance: 0, start: .seconds(0.5), duration: .seconds(1), sample: Self.sample())
        let buckets = series.buckets[0]
        #expect(buckets.count == 2)
        #expect(abs(buckets[0].busySeconds - 0.5) < 1e-12 && abs(buckets[1].busySeconds - 0.5) < 1e-12)
        #expect(abs(buckets[0].prefillTokens - 50) < 1e-9 && abs(buckets[1].outputTokens - 5) < 1e-9)
        #expect(abs(series.totals[0].mfuSeconds - 0.5) < 1e-12)
    }

    @Test func bucketsMergeToStayBoundedAndKeepEveryIntegral() {
        var series = UtilizationSeries(instances: [Self.instance], initialBucketWidth: .seconds(1), maximumBuckets: 16)
        for second in 0..<1000 {
            series.add(
                instance: 0, start: .seconds(Double(second)), duration: .milliseconds(250),
                sample: Self.sample(mfu: Double(second % 7) / 10))
        }
        #expect(series.buckets[0].count <= 16)
        #expect(series.bucketWidth == .seconds(64))
        let busy = series.buckets[0].reduce(0) { $0 + $1.busySeconds }
        #expect(abs(busy - 250) < 1e-9)
        #expect(abs(series.totals[0].busySeconds - 250) < 1e-9)
        let mfu = series.buckets[0].reduce(0) { $0 + $1.mfuSeconds }
        #expect(abs(mfu - series.totals[0].mfuSeconds) < 1e-9)
    }

    @Test func expertImbalanceIsTheBusiestRanksShare() {
        #expect(Self.instance.expertImbalance == 1.2)
    }
}
