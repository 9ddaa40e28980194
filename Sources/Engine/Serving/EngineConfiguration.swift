import MoECore
import Topology

/// The engine's own knobs (the scheduler's come from the deployment plan, the device time from the backend).
public struct EngineConfiguration: Sendable {
    /// How arrivals are spread over the instances.
    public var routing: InstanceRouting
    /// Longest a step may take before the engine gives up on it and fails its instance's requests with
    /// that reason (nil: wait forever). Guards against a backend that never calls back.
    public var stepTimeout: SimDuration?
    /// Most finished requests' records kept for ``ServingEngine/finishedRecords()`` (oldest dropped first);
    /// nil keeps all. A long-running server sets a bound to keep memory flat.
    public var retainedRecords: Int?
    /// The machine layout device threads and buffers are placed on; nil reads this machine's
    /// (`HostTopology.current()`). Tests pass fake multi-node layouts.
    public var hostTopology: HostTopology?

    /// Creates a configuration.
    public init(
        routing: InstanceRouting = .roundRobin, stepTimeout: SimDuration? = .seconds(60), retainedRecords: Int? = nil,
        hostTopology: HostTopology? = nil
    ) {
        self.routing = routing
        self.stepTimeout = stepTimeout
        self.retainedRecords = retainedRecords
        self.hostTopology = hostTopology
    }
}

/// How the engine picks an instance for each arrival (failed instances are skipped).
public enum InstanceRouting: Sendable, Hashable {
    /// Instances in turn, in arrival order: independent of timing, so a simulator routing the same way sends
    /// every request to the same instance.
    case roundRobin
    /// The instance with the fewest requests queued or running (the lowest index on a tie).
    case leastOutstanding
}

/// Why the engine could not start.
public struct EngineStartError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The instance concerned (`colocated-0`), or nil for the whole deployment.
    public var instance: String?
    /// What is wrong.
    public var message: String

    public var description: String { instance.map { "\($0): \(message)" } ?? message }
}
