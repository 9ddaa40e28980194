/// Where a prefix-cache hit was found.
public enum CacheTier: String, Sendable, Hashable, CaseIterable, Codable {
    /// Device memory: no load needed.
    case hbm
    /// Host DRAM: loaded over PCIe before the step.
    case host
    /// Disk (context cache on SSD): loaded over the storage path before the step.
    case disk
}

/// A token count per cache tier (prefix-cache hits, loads).
public struct TierTokens: Sendable, Hashable, Codable {
    /// Tokens found in HBM.
    public var hbm: Int
    /// Tokens loaded from host DRAM.
    public var host: Int
    /// Tokens loaded from disk.
    public var disk: Int

    /// Creates counts; all default to zero.
    public init(hbm: Int = 0, host: Int = 0, disk: Int = 0) {
        self.hbm = hbm
        self.host = host
        self.disk = disk
    }

    /// No tokens anywhere.
    public static let zero = TierTokens()

    /// Tokens over all tiers.
    public var total: Int { hbm + host + disk }

    /// The count for `tier`.
    public subscript(tier: CacheTier) -> Int {
        get {
            switch tier {
            case .hbm: hbm
            case .host: host
            case .disk: disk
            }
        }
        set {
            switch tier {
            case .hbm: hbm = newValue
            case .host: host = newValue
            case .disk: disk = newValue
            }
        }
    }

    /// Adds tier by tier.
    public static func + (lhs: TierTokens, rhs: TierTokens) -> TierTokens {
        TierTokens(hbm: lhs.hbm + rhs.hbm, host: lhs.host + rhs.host, disk: lhs.disk + rhs.disk)
    }

    /// Adds tier by tier in place.
    public static func += (lhs: inout TierTokens, rhs: TierTokens) { lhs = lhs + rhs }
}
