/// Time, arithmetic and memory traffic of one operation (or a sum of them) on one device.
public struct OperationCost: Hashable, Sendable {
    /// Seconds the operation takes.
    public var seconds: Double
    /// Useful floating-point operations it performs (padding excluded).
    public var flops: Double
    /// Bytes it moves to and from HBM.
    public var bytes: Double

    /// Creates a cost.
    public init(seconds: Double = 0, flops: Double = 0, bytes: Double = 0) {
        self.seconds = seconds
        self.flops = flops
        self.bytes = bytes
    }

    /// Nothing.
    public static let zero = OperationCost()

    /// The cost of running both operations one after the other.
    public static func + (lhs: OperationCost, rhs: OperationCost) -> OperationCost {
        OperationCost(seconds: lhs.seconds + rhs.seconds, flops: lhs.flops + rhs.flops, bytes: lhs.bytes + rhs.bytes)
    }

    /// Accumulates `rhs` into `lhs`.
    public static func += (lhs: inout OperationCost, rhs: OperationCost) { lhs = lhs + rhs }

    /// The cost of running the operation `factor` times.
    public static func * (lhs: OperationCost, factor: Double) -> OperationCost {
        OperationCost(seconds: lhs.seconds * factor, flops: lhs.flops * factor, bytes: lhs.bytes * factor)
    }
}
