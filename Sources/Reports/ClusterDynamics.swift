import MoECore
import Scheduling

/// What changed in a cluster while a run went on, beyond the requests: KV-cache transfers between prefill
/// and decode instances, the shared context cache, instances started and released, faults and expert
/// re-balances. Filled by the simulator; its counts are deterministic for a seed.
public struct ClusterDynamics: Sendable {
    /// KV caches moved from prefill to decode instances.
    public struct Transfers: Sendable, Hashable {
        /// Transfers completed.
        public var count = 0
        /// Bytes moved.
        public var bytes: Int64 = 0
        /// Sum of their durations (queueing behind other transfers on a NIC included), seconds.
        public var totalSeconds = 0.0
        /// The longest, seconds.
        public var longestSeconds = 0.0

        /// None yet.
        public init() {}

        /// Accounts one transfer of `bytes` that took `duration`.
        public mutating func add(bytes: Int64, duration: SimDuration) {
            count += 1
            self.bytes += bytes
            totalSeconds += duration.seconds
            longestSeconds = max(longestSeconds, duration.seconds)
        }
    }

    /// The cluster's shared context cache: its size and what it did.
    public struct ContextCacheFigures: Sendable, Hashable {
        /// Blocks it can hold.
        public var capacityBlocks: Int
        /// Tokens one block covers.
        public var blockTokens: Int
        /// Lookups, hits, writes, evictions and expiries.
        public var statistics: ContextCache.Statistics

        /// Creates the figures.
        public init(capacityBlocks: Int, blockTokens: Int, statistics: ContextCache.Statistics) {
            self.capacityBlocks = capacityBlocks
            self.blockTokens = blockTokens
            self.statistics = statistics
        }
    }

    /// Faults and what they cost the requests.
    public struct Faults: Sendable, Hashable {
        /// Devices, nodes or NICs lost.
        public var failures = 0
        /// Of them, repaired during the run.
        public var repairs = 0
        /// Instances stopped by a fault.
        public var instancesStopped = 0
        /// Instances that came back on fewer devices.
        public var instancesShrunk = 0
        /// Instances that came back (shrunk or whole).
        public var instancesRestarted = 0
        /// Requests moved off a stopped instance before they had started: queued again elsewhere.
        public var requestsRequeued = 0
        /// Requests moved off a stopped instance with work done: prefilled again elsewhere (prompt and the
        /// tokens generated so far).
        public var requestsReprefilled = 0

        /// None yet.
        public init() {}
    }

    /// Instances the autoscaler started and released.
    public struct Scaling: Sendable, Hashable {
        /// Instances provisioned (each starts with its warm-up).
        public var scaleOuts = 0
        /// Instances drained and released.
        public var scaleIns = 0

        /// None yet.
        public init() {}
    }

    /// One expert re-balance of one instance.
    public struct Rebalance: Sendable, Hashable {
        /// When it was planned.
        public var time: SimTime
        /// The instance.
        public var instance: Int
        /// Expert copies moved.
        public var expertsMoved: Int
        /// Weight bytes copied.
        public var migrationBytes: Int64
        /// How long the instance paused for the copies.
        public var migrationTime: SimDuration
        /// The busiest expert-parallel rank's share of routed tokens over an even split, before and after
        /// (under the scenario's expert-load profile).
        public var imbalanceBefore: Double
        /// The same after the re-balance.
        public var imbalanceAfter: Double
        /// Each expert-parallel rank's share after the re-balance.
        public var loadShares: [Double]

        /// Creates a record.
        public init(
            time: SimTime, instance: Int, expertsMoved: Int, migrationBytes: Int64, migrationTime: SimDuration,
            imbalanceBefore: Double, imbalanceAfter: Double, loadShares: [Double]
        ) {
            self.time = time
            self.instance = instance
            self.expertsMoved = expertsMoved
            self.migrationBytes = migrationBytes
            self.migrationTime = migrationTime
            self.imbalanceBefore = imbalanceBefore
            self.imbalanceAfter = imbalanceAfter
            self.loadShares = loadShares
        }
    }

    /// KV-cache transfers.
    public var transfers = Transfers()
    /// The shared context cache, when the cluster has one.
    public var contextCache: ContextCacheFigures?
    /// Faults.
    public var faults = Faults()
    /// Autoscaling.
    public var scaling = Scaling()
    /// Expert re-balances, in time order.
    public var rebalances: [Rebalance] = []

    /// Nothing happened yet.
    public init() {}
}
