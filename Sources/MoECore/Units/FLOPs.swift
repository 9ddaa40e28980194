/// A count of floating-point (or integer tensor) operations; a multiply-add counts as two.
public struct FLOPs: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number of operations.
    public var count: Double

    /// Creates a count of `count` operations.
    public init(_ count: Double) { self.count = count }

    /// No operations.
    public static let zero = FLOPs(0)

    public static func < (lhs: FLOPs, rhs: FLOPs) -> Bool { lhs.count < rhs.count }
    public static func + (lhs: FLOPs, rhs: FLOPs) -> FLOPs { FLOPs(lhs.count + rhs.count) }
    public static func += (lhs: inout FLOPs, rhs: FLOPs) { lhs = lhs + rhs }
    public static func * (lhs: FLOPs, rhs: Double) -> FLOPs { FLOPs(lhs.count * rhs) }

    public var description: String { "\((count / 1e9 * 100).rounded() / 100) GFLOP" }
}

/// A compute rate in operations per second, such as a device's peak tensor throughput.
public struct ComputeRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Operations per second.
    public var flopsPerSecond: Double

    /// Creates a rate of `flopsPerSecond`.
    public init(flopsPerSecond: Double) { self.flopsPerSecond = flopsPerSecond }

    /// `value` tera-operations per second (TFLOPS or TOPS).
    public static func tera(_ value: Double) -> ComputeRate { ComputeRate(flopsPerSecond: value * 1e12) }

    /// The rate in tera-operations per second.
    public var tera: Double { flopsPerSecond / 1e12 }

    /// How long `work` takes at this rate.
    public func timeToCompute(_ work: FLOPs) -> SimDuration { .seconds(work.count / flopsPerSecond) }

    public static func < (lhs: ComputeRate, rhs: ComputeRate) -> Bool { lhs.flopsPerSecond < rhs.flopsPerSecond }
    public static func * (lhs: ComputeRate, rhs: Double) -> ComputeRate {
        ComputeRate(flopsPerSecond: lhs.flopsPerSecond * rhs)
    }

    public var description: String { "\((tera * 10).rounded() / 10) TFLOPS" }
}
