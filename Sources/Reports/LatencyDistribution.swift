import Histogram
import MoECore

/// A distribution of durations in bounded memory: exact while small, an HdrHistogram beyond.
///
/// The first ``exactCapacity`` distinct recordings are kept as they are, so percentiles of a short run
/// are exactly what `vllm bench serve` computes (NumPy's linearly interpolated percentile). Past that,
/// every value moves into an HdrHistogram with three significant digits and 1 µs resolution, so a day of
/// requests takes a few hundred kilobytes and percentiles stay within 0.1%. Mean and standard deviation
/// are always exact (running sums). The switch depends on the data alone, so runs stay reproducible.
public struct LatencyDistribution: Sendable {
    /// Distinct recordings kept exactly before switching to the histogram.
    public let exactCapacity: Int
    private var values: [Int64] = []
    private var counts: [Int] = []
    /// Whether the recordings have moved into `histogram` (a flag, not an optional, keeps recording cheap).
    private var usesHistogram = false
    private var histogram = Self.emptyHistogram()
    /// Values recorded (a recording with `count` n counts n times).
    public private(set) var count = 0
    private var sum = 0.0
    private var sumOfSquares = 0.0

    /// An empty distribution keeping up to `exactCapacity` recordings exactly.
    public init(exactCapacity: Int = 1 << 16) {
        precondition(exactCapacity >= 0, "exactCapacity must be non-negative")
        self.exactCapacity = exactCapacity
    }

    /// Records `count` occurrences of `value` (negative values count as zero).
    public mutating func record(_ value: SimDuration, count: Int = 1) {
        guard count > 0 else { return }
        let nanoseconds = max(0, value.nanoseconds)
        self.count += count
        let seconds = Double(nanoseconds) / 1e9
        sum += seconds * Double(count)
        sumOfSquares += seconds * seconds * Double(count)
        if !usesHistogram {
            if values.count < exactCapacity {
                values.append(nanoseconds)
                counts.append(count)
                return
            }
            moveToHistogram()
        }
        histogram.record(UInt64(nanoseconds), count: UInt64(count))
    }

    /// Whether every recording is still kept exactly.
    public var isExact: Bool { !usesHistogram }

    /// Mean, or nil when empty.
    public var mean: SimDuration? { count > 0 ? .seconds(sum / Double(count)) : nil }

    /// Population standard deviation (NumPy's default), or nil when empty.
    public var standardDeviation: SimDuration? {
        guard count > 0 else { return nil }
        let mean = sum / Double(count)
        return .seconds(max(0, sumOfSquares / Double(count) - mean * mean).squareRoot())
    }

    /// The median, or nil when empty.
    public var median: SimDuration? { percentile(50) }

    /// The `percent`-th percentile (0 to 100), or nil when empty: linearly interpolated between order
    /// statistics while exact (as NumPy), the histogram's equivalent value after.
    public func percentile(_ percent: Double) -> SimDuration? { percentiles([percent])[0] }

    /// ``percentile(_:)`` for each of `percents`, sorting the exact recordings once.
    public func percentiles(_ percents: [Double]) -> [SimDuration?] {
        guard count > 0 else { return percents.map { _ in nil } }
        if usesHistogram {
            return percents.map { SimDuration(nanoseconds: Int64(histogram.valueAtPercentile(min(max($0, 0), 100)))) }
        }
        let sorted = zip(values, counts).sorted { $0.0 < $1.0 }
        return percents.map { percent in
            let position = min(max(percent, 0), 100) / 100 * Double(count - 1)
            let lower = Int(position.rounded(.down))
            let fraction = position - Double(lower)
            let (low, high) = Self.orderStatistics(lower, in: sorted)
            return .seconds((Double(low) + (Double(high) - Double(low)) * fraction) / 1e9)
        }
    }

    /// The order statistics at 0-based ranks `rank` and `rank + 1` (the same one at the top) of recordings
    /// sorted by value.
    private static func orderStatistics(_ rank: Int, in sorted: [(Int64, Int)]) -> (Int64, Int64) {
        var seen = 0
        var low: Int64?
        for (value, count) in sorted {
            seen += count
            if low == nil, seen > rank { low = value }
            if let low, seen > rank + 1 { return (low, value) }
        }
        let last = sorted.last!.0
        return (low ?? last, last)
    }

    /// Adds every recording of `other`.
    public mutating func merge(_ other: LatencyDistribution) {
        if other.usesHistogram {
            if !usesHistogram { moveToHistogram() }
            histogram.add(other.histogram)
            count += other.count
            sum += other.sum
            sumOfSquares += other.sumOfSquares
            return
        }
        for (value, count) in zip(other.values, other.counts) {
            record(SimDuration(nanoseconds: value), count: count)
        }
    }

    /// Moves the exact recordings into the histogram.
    private mutating func moveToHistogram() {
        for (value, count) in zip(values, counts) { histogram.record(UInt64(value), count: UInt64(count)) }
        values = []
        counts = []
        usesHistogram = true
    }

    /// A histogram of three significant digits from 1 µs, growing as values need.
    private static func emptyHistogram() -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1_000, highestTrackableValue: 2_000, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }
}
