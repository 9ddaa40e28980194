import Deployment
import MoECore
import Topology

/// A stand-in for a GPU model runner: it runs the engine's batches with deterministic tokens, top-k
/// expert routing that follows a load profile, and device time taken from the step-time model.
///
/// - Tokens are a function of the seed, the request and the output position; the last of a request's
///   `outputTokens` is the end-of-sequence token.
/// - Every computed token position is routed through every MoE layer (top-k gating), skewed by the
///   load profile (a real DeepSeek matrix from `Simulations/expert-loads/`, say), and each step reports
///   the per-expert counts.
/// - A step takes `InstancePlan.stepDuration(of:)` times ``Configuration/timeFactor`` of wall time (0: as
///   fast as the CPU work allows), measured from when the step was handed over, so the mock's own CPU work
///   hides inside the emulated device time. A step handed over within ``Configuration/launchSlack`` of the
///   previous step's end starts where that step ended: the device runs back to back, as a GPU does whose
///   engine keeps its next launch queued, and the engine's few tenths of a millisecond between steps do
///   not accumulate into drift (they are still measured, as the engine's overhead).
/// - Injected ``DeviceFault``s make a device fail (its instance's requests then fail with that reason) or
///   run slow (every step of its instance takes longer, as expert-parallel steps wait for the slowest).
public struct MockMoEBackend: ModelBackend {
    /// The mock's knobs.
    public struct Configuration: Sendable {
        /// Seed of tokens, routing and the gates' layout.
        public var seed: UInt64
        /// Wall seconds per emulated device second: 1 is real time, 0.1 ten times faster, 0 as fast as
        /// possible.
        public var timeFactor: Double
        /// The load profile routing follows.
        public var expertLoad: ExpertLoadSource
        /// Whether tokens are routed and routing counts reported (off saves the gating work when only the
        /// token stream matters).
        public var routesTokens: Bool
        /// The end-of-sequence token id (DeepSeek-V3's `eos_token_id` is 1).
        public var endOfSequenceToken: UInt32
        /// Faults to inject.
        public var faults: [DeviceFault]
        /// Host time between one step's end and the next step's hand-over that the emulated device hides, as
        /// a queued launch would (wall time; 0 charges every gap).
        public var launchSlack: SimDuration

        /// Creates a configuration.
        public init(
            seed: UInt64 = 0, timeFactor: Double = 0, expertLoad: ExpertLoadSource = .deployment,
            routesTokens: Bool = true, endOfSequenceToken: UInt32 = 1, faults: [DeviceFault] = [],
            launchSlack: SimDuration = .milliseconds(1)
        ) {
            self.seed = seed
            self.timeFactor = timeFactor
            self.expertLoad = expertLoad
            self.routesTokens = routesTokens
            self.endOfSequenceToken = endOfSequenceToken
            self.faults = faults
            self.launchSlack = launchSlack
        }
    }

    /// Where the routing skew comes from.
    public enum ExpertLoadSource: Sendable {
        /// The deployment's profile (the scenario's `expert_load` file), or balanced when it has none.
        case deployment
        /// Every expert equally likely.
        case balanced
        /// This matrix (one row per MoE layer, one column per routed expert).
        case matrix(ExpertLoadMatrix)
    }

    /// The knobs in force.
    public let configuration: Configuration
    /// The routing of every MoE layer, shared by all instances (nil for a dense model or routing off).
    let gates: ExpertGates?
    let tokens: MockTokens

    /// A mock for `plan`'s model and devices.
    /// - Throws: ``MockBackendError`` naming the bad knob: a negative or non-finite time factor, a load
    ///   matrix of the wrong shape or with too few loaded experts in a layer, a fault naming a device outside
    ///   the deployment or a slowdown that is not a finite factor of at least 1.
    public init(plan: DeploymentPlan, configuration: Configuration = Configuration()) throws(MockBackendError) {
        guard configuration.timeFactor.isFinite, configuration.timeFactor >= 0 else {
            throw .invalid("timeFactor is \(configuration.timeFactor); expected a finite number >= 0")
        }
        let model = plan.scenario.model
        guard model.vocabularySize >= 2, Int(configuration.endOfSequenceToken) < model.vocabularySize else {
            throw .invalid(
                "endOfSequenceToken \(configuration.endOfSequenceToken) is not in the vocabulary of "
                    + "\(model.vocabularySize) tokens of \(model.key)")
        }
        for fault in configuration.faults {
            guard fault.device.index >= 0, fault.device.index < plan.deployedDevices else {
                throw .invalid(
                    "fault on \(fault.device), but the deployment has devices dev0-dev\(plan.deployedDevices - 1)")
            }
            if case .slows(let factor) = fault.kind, !(factor.isFinite && factor >= 1) {
                throw .invalid("slowdown of \(fault.device) is \(factor); expected a finite factor >= 1")
            }
        }
        self.configuration = configuration
        tokens = MockTokens(
            seed: configuration.seed, vocabularySize: model.vocabularySize,
            endOfSequence: configuration.endOfSequenceToken)
        if let moe = model.moe, configuration.routesTokens {
            gates = try Self.gates(
                model: model, moe: moe, source: configuration.expertLoad, deployment: plan.expertLoad,
                seed: configuration.seed)
        } else {
            gates = nil
        }
    }

    /// Counts region (one `UInt32` per MoE layer and expert) followed by one token slot per sequence.
    public func stagingBytes(for instance: InstancePlan) -> Int {
        StagingLayout(instance: instance, gates: gates).byteCount
    }

    public func makeExecutor(for instance: InstancePlan, devices: [EngineDevice]) throws -> any InstanceExecutor {
        MockInstanceExecutor(
            instance: instance, devices: devices, gates: gates, tokens: tokens,
            timeFactor: configuration.timeFactor, launchSlack: configuration.launchSlack, faults: configuration.faults)
    }

    private static func gates(
        model: ModelSpec, moe: MoESpec, source: ExpertLoadSource, deployment: ExpertLoadMatrix?, seed: UInt64
    ) throws(MockBackendError) -> ExpertGates {
        let matrix: ExpertLoadMatrix
        switch source {
        case .deployment: matrix = deployment ?? .balanced(layers: model.moeLayers, experts: moe.routedExperts)
        case .balanced: matrix = .balanced(layers: model.moeLayers, experts: moe.routedExperts)
        case .matrix(let given): matrix = given
        }
        guard matrix.layers == model.moeLayers, matrix.experts == moe.routedExperts else {
            throw .invalid(
                "expert-load matrix is \(matrix.layers) layers x \(matrix.experts) experts; \(model.key) has "
                    + "\(model.moeLayers) MoE layers x \(moe.routedExperts) routed experts")
        }
        for layer in 0..<matrix.layers {
            let loaded = matrix.row(layer).count { $0 > 0 }
            guard loaded >= moe.expertsPerToken else {
                throw .invalid(
                    "expert-load matrix layer \(layer) has \(loaded) experts with load; top-\(moe.expertsPerToken) "
                        + "routing needs at least \(moe.expertsPerToken)")
            }
        }
        var generator = SeededGenerator(seed: seed).derived(stream: 3)
        return ExpertGates(loads: matrix, expertsPerToken: moe.expertsPerToken, generator: &generator)
    }
}

/// A fault injected on one simulated device.
public struct DeviceFault: Sendable, Hashable {
    /// What goes wrong.
    public enum Kind: Sendable, Hashable {
        /// The device fails at the first step numbered `step` or later (the scheduler's step number of its
        /// instance) and every step after; the engine stops the instance and fails its requests.
        case fails(atStep: UInt64)
        /// Every step of the device's instance takes `factor` times its emulated device time.
        case slows(by: Double)
    }

    /// The device (topology id).
    public var device: DeviceID
    /// What goes wrong.
    public var kind: Kind

    /// Creates a fault.
    public init(device: DeviceID, kind: Kind) {
        self.device = device
        self.kind = kind
    }
}

/// Why the mock backend cannot be built.
public enum MockBackendError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A knob is out of range; the text names it and what was expected.
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): "mock backend: \(message)"
        }
    }
}
