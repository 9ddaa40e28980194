import MoECore

/// One instance's load, as the cluster keeps it for its router.
public struct InstanceLoad: Sendable, Hashable {
    /// The instance's index in the deployment.
    public var index: Int
    /// What it serves.
    public var role: InstanceRole
    /// Tokens still to process: prompts not yet prefilled plus outputs not yet generated.
    public var outstandingTokens: Int
    /// Requests holding KV cache.
    public var runningRequests: Int
    /// Requests queued.
    public var waitingRequests: Int

    /// An idle instance.
    public init(index: Int, role: InstanceRole) {
        self.index = index
        self.role = role
        outstandingTokens = 0
        runningRequests = 0
        waitingRequests = 0
    }
}

/// Chooses the instance each arriving request is sent to.
///
/// The cluster calls ``route(_:among:)`` once per arrival, at the arrival's virtual time, with the
/// current load of the instances able to take it. A router may keep state (a turn, a cache map), and must
/// be deterministic: the same calls give the same answers. Cache-aware and prefill/decode balancers fit
/// the same shape: the cluster asks the balancer of the instance kind a request needs next.
public protocol Router {
    /// The position in `instances` (never empty) of the instance `request` goes to.
    mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int
}

/// Sends requests to each instance in turn.
public struct RoundRobinRouter: Router, Sendable {
    private var turn = 0

    /// A router starting with the first instance.
    public init() {}

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        defer { turn += 1 }
        return turn % instances.count
    }
}

/// Sends each request to the instance with the fewest outstanding tokens (the first such on ties):
/// join-the-shortest-queue with the queue measured in work rather than requests, so a long prompt counts
/// for what it costs.
public struct LeastOutstandingWorkRouter: Router, Sendable {
    /// A router.
    public init() {}

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        var best = 0
        for position in instances.indices.dropFirst()
        where instances[position].outstandingTokens < instances[best].outstandingTokens {
            best = position
        }
        return best
    }
}

extension RouterKind {
    /// A fresh router of this kind.
    public func makeRouter() -> any Router {
        switch self {
        case .roundRobin: RoundRobinRouter()
        case .leastOutstandingWork: LeastOutstandingWorkRouter()
        }
    }
}
