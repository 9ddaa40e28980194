import MoECore
import Topology

/// One steady-state question about an instance, as `moeserve perf` asks it: every device runs the
/// same number of prefill tokens of fresh prompts, or the same number of decode sequences at one
/// context length, step after step.
public struct SteadyStateQuestion: Sendable {
    /// Which phase every step runs.
    public enum Phase: String, Sendable, CaseIterable {
        case prefill, decode
    }

    /// The instance.
    public var configuration: InstanceConfiguration
    /// The phase.
    public var phase: Phase
    /// Prefill: new tokens per device per step.
    public var tokensPerDevice: Double
    /// Prefill: prompt length (prompts are computed from scratch).
    public var promptTokens: Double
    /// Decode: sequences per device.
    public var batchPerDevice: Double
    /// Decode: context length of every sequence.
    public var contextTokens: Double

    /// A prefill question: `tokensPerDevice` new tokens per device per step from prompts of `promptTokens`.
    public static func prefill(
        _ configuration: InstanceConfiguration, tokensPerDevice: Double, promptTokens: Double
    ) -> SteadyStateQuestion {
        SteadyStateQuestion(
            configuration: configuration, phase: .prefill, tokensPerDevice: tokensPerDevice,
            promptTokens: promptTokens, batchPerDevice: 0, contextTokens: 0)
    }

    /// A decode question: `batchPerDevice` sequences per device at `contextTokens` of context.
    public static func decode(
        _ configuration: InstanceConfiguration, batchPerDevice: Double, contextTokens: Double
    ) -> SteadyStateQuestion {
        SteadyStateQuestion(
            configuration: configuration, phase: .decode, tokensPerDevice: 0, promptTokens: 0,
            batchPerDevice: batchPerDevice, contextTokens: contextTokens)
    }

    /// The batch one step of the instance runs.
    public var batch: BatchShape {
        let devices = Double(configuration.devices)
        switch phase {
        case .prefill:
            let tokens = tokensPerDevice * devices
            return BatchShape(prefillTokens: tokens, prefillAttentionContextProduct: tokens * promptTokens / 2)
        case .decode:
            return .decode(sequences: batchPerDevice * devices, context: contextTokens)
        }
    }

    /// Answers the question.
    /// - Throws: ``PerfModelError`` when the instance is inconsistent or does not fit.
    public func answer() throws -> SteadyStateAnswer {
        let model = try StepTimeModel(configuration)
        let step = model.stepTime(batch)
        let devices = Double(configuration.devices)
        let seconds = step.total.seconds
        let tokens = phase == .prefill ? batch.prefillTokens : step.tokensGenerated
        let perDevice = seconds > 0 ? tokens / seconds / devices : 0
        let tpot = phase == .decode ? step.total.seconds / configuration.expectedTokensPerDecodeStep : nil
        return SteadyStateAnswer(
            step: step, memory: model.memory, tokensPerSecondPerDevice: perDevice,
            tokensPerSecondPerNode: perDevice
                * Double(min(configuration.topology.devicesPerHost, configuration.devices)),
            tpotSeconds: tpot)
    }
}

/// The answer to a ``SteadyStateQuestion``.
public struct SteadyStateAnswer: Sendable {
    /// One step's time and breakdown.
    public var step: StepTime
    /// The instance's memory budget.
    public var memory: MemoryBudget
    /// Input (prefill) or output (decode) tokens per second per device.
    public var tokensPerSecondPerDevice: Double
    /// The same per node (host).
    public var tokensPerSecondPerNode: Double
    /// Decode: time per output token, MTP's extra tokens included; nil for prefill.
    public var tpotSeconds: Double?
}

extension ClusterTopology {
    /// The smallest cluster of `device`'s usual host that holds `devices` devices: the first catalog
    /// host carrying the device (an Ascend 910C sits in a CloudMatrix384 node).
    /// - Throws: ``PerfModelError/invalidConfiguration(_:)`` when no host carries the device.
    public static func smallest(
        holding devices: Int, of device: DeviceSpec, catalog: Catalog = .builtin
    ) throws -> ClusterTopology {
        guard let host = catalog.hosts.first(where: { $0.deviceKey == device.key }) else {
            throw PerfModelError.invalidConfiguration(
                "no host in the catalog carries \(device.key); hosts: \(catalog.hosts.map(\.key).joined(separator: ", "))"
            )
        }
        let hosts = max((devices + host.deviceCount - 1) / host.deviceCount, 1)
        return try ClusterTopology(hostKey: host.key, hosts: hosts, catalog: catalog)
    }
}
