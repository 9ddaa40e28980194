import Deployment
import MoECore
import Scheduling
import Topology

/// What runs the engine's batches: the protocol a real model runner implements (and ``MockMoEBackend``
/// does for tests and demos).
///
/// The engine calls ``makeExecutor(for:devices:)`` once per instance of the deployment, handing over the
/// devices it prepared (a NUMA-bound work queue and a NUMA-local staging buffer of ``stagingBytes(for:)``
/// bytes each); the executor then runs that instance's steps one at a time.
public protocol ModelBackend: Sendable {
    /// Host staging memory each device of `instance` needs, in bytes.
    func stagingBytes(for instance: InstancePlan) -> Int

    /// Prepares to run `instance`'s batches on `devices` (in the instance's device order).
    /// - Throws: any error that makes the instance unusable; the engine does not start and reports it.
    func makeExecutor(for instance: InstancePlan, devices: [EngineDevice]) throws -> any InstanceExecutor
}

/// Runs one instance's steps. The engine never has more than one step of an instance in flight.
public protocol InstanceExecutor: Sendable {
    /// Runs `step` and calls `completion` exactly once, from any thread, with the step's tokens and routing
    /// counts or the failure that stopped it. An executor that never calls back is caught by the engine's
    /// step timeout, which fails the instance's requests with that reason.
    func execute(_ step: BackendStep, completion: @escaping @Sendable (Result<StepOutput, BackendFailure>) -> Void)
}

/// One step as the backend receives it: the scheduler's batch and, for each of its entries, the facts
/// about the request that a model runner needs.
public struct BackendStep: Sendable {
    /// The instance's index in the deployment.
    public var instance: Int
    /// What the scheduler decided: per-request token counts and the step's aggregates.
    public var batch: ScheduledBatch
    /// One per entry of `batch.entries`, in the same order.
    public var requests: [StepRequest]

    /// Creates a step.
    public init(instance: Int, batch: ScheduledBatch, requests: [StepRequest]) {
        self.instance = instance
        self.batch = batch
        self.requests = requests
    }
}

/// A request's facts for one step.
public struct StepRequest: Sendable, Hashable {
    /// The request.
    public var id: RequestID
    /// Its prompt length in tokens.
    public var promptTokens: Int
    /// The most output tokens it may produce (`max_tokens`).
    public var outputTokens: Int

    /// Creates the facts of one request.
    public init(id: RequestID, promptTokens: Int, outputTokens: Int) {
        self.id = id
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
    }

    /// Which output token (0 for the first) the request samples at the end of `entry`, its share of the
    /// step; meaningful when `entry.samplesToken`. A step that samples has computed every known token
    /// (prompt plus outputs so far), so the index follows from the batch alone, preemptions included.
    public func sampledIndex(in entry: BatchEntry) -> Int {
        entry.contextTokens + entry.newTokens - promptTokens
    }
}

/// What a step produced.
public struct StepOutput: Sendable {
    /// One token per batch entry whose `samplesToken` is true, in entry order.
    public var tokens: [SampledToken]
    /// Tokens routed to each expert of each MoE layer in this step, or nil when the backend does not report
    /// routing (a dense model, or routing switched off).
    public var routing: ExpertRoutingCounts?
    /// How long the devices were busy with the step (measured, or emulated by a mock); the engine's own
    /// overhead per step is what the step took beyond this.
    public var deviceTime: SimDuration

    /// Creates a step's output.
    public init(tokens: [SampledToken], routing: ExpertRoutingCounts?, deviceTime: SimDuration) {
        self.tokens = tokens
        self.routing = routing
        self.deviceTime = deviceTime
    }
}

/// One sampled output token.
public struct SampledToken: Sendable, Hashable {
    /// The request it belongs to.
    public var id: RequestID
    /// The token id in the model's vocabulary.
    public var token: UInt32
    /// Whether it is the end-of-sequence token (the request stops here, even before its `max_tokens`).
    public var isEndOfSequence: Bool

    /// Creates a sampled token.
    public init(id: RequestID, token: UInt32, isEndOfSequence: Bool) {
        self.id = id
        self.token = token
        self.isEndOfSequence = isEndOfSequence
    }
}

/// Why a backend could not run a step: names the device when one is to blame.
public struct BackendFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The device that failed, if the failure is a device's.
    public var device: DeviceID?
    /// What happened.
    public var message: String

    /// Creates a failure.
    public init(device: DeviceID?, message: String) {
        self.device = device
        self.message = message
    }

    public var description: String { device.map { "\($0): \(message)" } ?? message }
}
