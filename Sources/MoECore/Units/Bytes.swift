/// An amount of memory or data, in whole bytes.
public struct Bytes: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number of bytes.
    public var count: Int64

    /// Creates an amount of exactly `count` bytes.
    public init(_ count: Int64) { self.count = count }

    /// No bytes.
    public static let zero = Bytes(0)

    /// `value` decimal kilobytes (10^3 bytes), rounded down.
    public static func kilobytes(_ value: Double) -> Bytes { Bytes(Int64(value * 1e3)) }
    /// `value` decimal megabytes (10^6 bytes), rounded down.
    public static func megabytes(_ value: Double) -> Bytes { Bytes(Int64(value * 1e6)) }
    /// `value` decimal gigabytes (10^9 bytes), rounded down. Vendors quote HBM in these.
    public static func gigabytes(_ value: Double) -> Bytes { Bytes(Int64(value * 1e9)) }
    /// `value` binary gibibytes (2^30 bytes), rounded down.
    public static func gibibytes(_ value: Double) -> Bytes { Bytes(Int64(value * 1_073_741_824)) }

    /// The amount in decimal gigabytes.
    public var gigabytes: Double { Double(count) / 1e9 }
    /// The amount in binary gibibytes.
    public var gibibytes: Double { Double(count) / 1_073_741_824 }

    public static func < (lhs: Bytes, rhs: Bytes) -> Bool { lhs.count < rhs.count }
    public static func + (lhs: Bytes, rhs: Bytes) -> Bytes { Bytes(lhs.count + rhs.count) }
    public static func - (lhs: Bytes, rhs: Bytes) -> Bytes { Bytes(lhs.count - rhs.count) }
    public static func += (lhs: inout Bytes, rhs: Bytes) { lhs = lhs + rhs }
    public static func -= (lhs: inout Bytes, rhs: Bytes) { lhs = lhs - rhs }
    public static func * (lhs: Bytes, rhs: Int64) -> Bytes { Bytes(lhs.count * rhs) }
    public static func * (lhs: Int64, rhs: Bytes) -> Bytes { Bytes(lhs * rhs.count) }

    public var description: String {
        let value = Double(count)
        switch abs(value) {
        case ..<1e3: return "\(count) B"
        case ..<1e6: return "\(Self.format(value / 1e3)) KB"
        case ..<1e9: return "\(Self.format(value / 1e6)) MB"
        case ..<1e12: return "\(Self.format(value / 1e9)) GB"
        default: return "\(Self.format(value / 1e12)) TB"
        }
    }

    private static func format(_ value: Double) -> String { String((value * 100).rounded() / 100) }
}

/// A data rate in bytes per second (memory, links, NICs, disks).
public struct Bandwidth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bytes moved per second.
    public var bytesPerSecond: Double

    /// Creates a rate of `bytesPerSecond`.
    public init(bytesPerSecond: Double) { self.bytesPerSecond = bytesPerSecond }

    /// `value` decimal gigabytes per second.
    public static func gigabytesPerSecond(_ value: Double) -> Bandwidth { Bandwidth(bytesPerSecond: value * 1e9) }
    /// `value` decimal terabytes per second.
    public static func terabytesPerSecond(_ value: Double) -> Bandwidth { Bandwidth(bytesPerSecond: value * 1e12) }
    /// `value` gigabits per second, as NICs are quoted (400 Gb/s = 50 GB/s).
    public static func gigabitsPerSecond(_ value: Double) -> Bandwidth { Bandwidth(bytesPerSecond: value * 1e9 / 8) }

    /// The rate in decimal gigabytes per second.
    public var gigabytesPerSecond: Double { bytesPerSecond / 1e9 }

    /// How long moving `bytes` takes at this rate.
    public func timeToTransfer(_ bytes: Bytes) -> SimDuration {
        .seconds(Double(bytes.count) / bytesPerSecond)
    }

    public static func < (lhs: Bandwidth, rhs: Bandwidth) -> Bool { lhs.bytesPerSecond < rhs.bytesPerSecond }
    public static func * (lhs: Bandwidth, rhs: Double) -> Bandwidth {
        Bandwidth(bytesPerSecond: lhs.bytesPerSecond * rhs)
    }

    public var description: String { "\((gigabytesPerSecond * 10).rounded() / 10) GB/s" }
}
