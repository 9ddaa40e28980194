import Foundation
import MoECore

/// A latency histogram with fixed bucket bounds, in the shape Prometheus exposes (`_bucket{le=...}`,
/// `_sum`, `_count`): memory stays constant however many samples it takes.
///
/// The bounds of ``timeToFirstToken``, ``interTokenLatency`` and ``requestLatency`` are vLLM's own
/// (`vllm/v1/metrics/loggers.py`), so a dashboard built for vLLM reads the engine's histograms unchanged.
public struct LatencyHistogram: Sendable, Hashable {
    /// Upper bounds of the finite buckets, in seconds, ascending; a last bucket (`+Inf`) takes the rest.
    public let upperBounds: [Double]
    /// Samples per bucket (not cumulative): `bucketCounts[i]` holds samples in `(upperBounds[i-1],
    /// upperBounds[i]]`, and the last entry those above every bound.
    public private(set) var bucketCounts: [Int]
    /// Samples recorded.
    public private(set) var count = 0
    /// Sum of the samples, in seconds.
    public private(set) var sum = 0.0
    /// The largest sample, in seconds (0 before any).
    public private(set) var maximum = 0.0

    /// An empty histogram over `upperBounds` (seconds, strictly ascending).
    public init(upperBounds: [Double]) {
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 }, "bounds must ascend")
        self.upperBounds = upperBounds
        bucketCounts = Array(repeating: 0, count: upperBounds.count + 1)
    }

    /// vLLM's `vllm:time_to_first_token_seconds` buckets.
    public static var timeToFirstToken: LatencyHistogram {
        LatencyHistogram(upperBounds: [
            0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
            80.0, 160.0, 640.0, 2560.0,
        ])
    }

    /// vLLM's `vllm:inter_token_latency_seconds` (and per-request time per output token) buckets.
    public static var interTokenLatency: LatencyHistogram {
        LatencyHistogram(upperBounds: [
            0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
        ])
    }

    /// vLLM's request latency buckets (`vllm:e2e_request_latency_seconds`, `vllm:request_queue_time_seconds`).
    public static var requestLatency: LatencyHistogram {
        LatencyHistogram(upperBounds: [
            0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
            960.0, 1920.0, 7680.0,
        ])
    }

    /// Fine logarithmic buckets from 1 µs to 10 s, ten per decade (each about 26% wider than the last), for
    /// the engine's own per-step overheads.
    public static var overhead: LatencyHistogram {
        LatencyHistogram(upperBounds: (0...70).map { 1e-6 * pow(10, Double($0) / 10) })
    }

    /// Adds one sample (negative durations count as zero).
    public mutating func record(_ duration: SimDuration) {
        let seconds = max(0, duration.seconds)
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if seconds <= upperBounds[middle] { high = middle } else { low = middle + 1 }
        }
        bucketCounts[low] += 1
        count += 1
        sum += seconds
        maximum = max(maximum, seconds)
    }

    /// Cumulative counts per bucket, the last being ``count`` (Prometheus's `le` buckets, `+Inf` last).
    public var cumulativeCounts: [Int] {
        var total = 0
        return bucketCounts.map { count in
            total += count
            return total
        }
    }

    /// The mean sample in seconds, or nil when empty.
    public var mean: Double? { count == 0 ? nil : sum / Double(count) }

    /// The `q` quantile (0...1) in seconds, interpolated linearly inside its bucket as Prometheus's
    /// `histogram_quantile` does (samples past the last bound report the largest sample); nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = min(max(q, 0), 1) * Double(count)
        var below = 0
        for (index, bucketCount) in bucketCounts.enumerated() where bucketCount > 0 {
            guard Double(below + bucketCount) >= rank else {
                below += bucketCount
                continue
            }
            guard index < upperBounds.count else { return maximum }
            let lower = index == 0 ? 0 : upperBounds[index - 1]
            let upper = min(upperBounds[index], maximum)
            let fraction = (rank - Double(below)) / Double(bucketCount)
            return lower + (max(upper, lower) - lower) * fraction
        }
        return maximum
    }
}
