/// How a device's memory divides between weights and KV cache for one instance layout.
public struct InstanceMemory: Hashable, Sendable {
    /// Routed experts each device holds per MoE layer (replicas included).
    public var expertsPerDevice: Int
    /// Weight bytes on each device.
    public var weightsPerDevice: Bytes
    /// Bytes left for the KV cache on each device after weights, at the usable fraction of memory.
    public var kvCachePerDevice: Bytes
    /// KV-cache bytes one token takes on a device holding its sequence.
    public var kvBytesPerTokenPerDevice: Bytes
    /// Tokens of KV cache that fit on one device.
    public var kvTokensPerDevice: Int
}

extension InstanceGroupSpec {
    /// The fraction of device memory the serving engine may use, as vLLM's default
    /// `gpu_memory_utilization` (0.9); the rest is left to activations, the runtime and fragmentation.
    public static let usableMemoryFraction = 0.9

    /// Memory per device when `model` runs on `device` with this layout.
    ///
    /// Routed experts are spread over `ep` devices (replicas included, rounded up); every other
    /// weight (attention, dense and shared-expert blocks, embeddings) is split over `attentionTP`.
    /// The KV cache of a sequence lives on its attention rank: MLA's latent is not split by tensor
    /// parallelism, GQA's KV heads are (up to the number of KV heads).
    public func memory(model: ModelSpec, device: DeviceSpec) -> InstanceMemory {
        let bytesPerWeight = weights.bytesPerElement
        var expertsPerDevice = 0
        var expertBytes = 0.0
        if let moe = model.moe {
            expertsPerDevice = (moe.routedExperts + redundantExperts + ep - 1) / ep
            expertBytes = Double(model.moeLayers * expertsPerDevice) * model.parametersPerExpert * bytesPerWeight
        }
        let sharedBytes = model.nonExpertParameters / Double(attentionTP) * bytesPerWeight
        let weightsPerDevice = Bytes(Int64((expertBytes + sharedBytes).rounded(.up)))
        let usable = Bytes(Int64(Double(device.memory.count) * Self.usableMemoryFraction))
        let kvBudget = max(.zero, usable - weightsPerDevice)
        let kvShards: Int
        switch model.attention {
        case .mla: kvShards = 1
        case .gqa(_, let kvHeads, _): kvShards = min(attentionTP, kvHeads)
        }
        let perToken = Bytes(max(1, model.kvBytesPerToken(format: kvCache).count / Int64(kvShards)))
        return InstanceMemory(
            expertsPerDevice: expertsPerDevice, weightsPerDevice: weightsPerDevice, kvCachePerDevice: kvBudget,
            kvBytesPerTokenPerDevice: perToken, kvTokensPerDevice: Int(kvBudget.count / perToken.count))
    }
}
