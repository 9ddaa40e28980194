import MoECore

/// How one device's memory divides between weights, an activation reserve and the KV cache.
public struct MemoryBudget: Hashable, Sendable {
    /// Fraction of device memory held back for activations, communication buffers and CUDA graphs
    /// (an assumption [U]: serving engines keep roughly 10-15% free of weights and KV cache).
    public static let activationReserveFraction = 0.10

    /// Weight bytes on one device: its shard of attention and dense layers, the replicated shared
    /// experts, routers, norms and embeddings (BF16), its expert slots, and the MTP layers when MTP is on.
    public let weightBytesPerDevice: Bytes
    /// Memory held back for activations.
    public let activationReserve: Bytes
    /// Memory left for the KV cache.
    public let kvBytesPerDevice: Bytes
    /// KV-cache bytes one token takes on one device.
    public let kvBytesPerToken: Double
    /// Tokens of KV cache one device holds.
    public let kvCapacityTokensPerDevice: Int
    /// Tokens of KV cache the instance holds (each data-parallel rank holds its own sequences).
    public let kvCapacityTokensPerInstance: Int

    /// The budget of `configuration`.
    /// - Throws: ``PerfModelError/doesNotFit(needed:available:device:)`` when weights and reserve
    ///   exceed the device's memory.
    public init(configuration c: InstanceConfiguration) throws {
        let model = c.model
        let bytes = c.weightFormat.bytesPerElement
        let tp = Double(c.attentionTP)
        let mtpLayers = c.mtpAcceptance == nil ? 0 : model.mtpLayers
        let layers = Double(model.layers + mtpLayers)
        let moeLayers = Double(model.moeLayers + (model.moe == nil ? 0 : mtpLayers))
        let sharedPerLayer = Double(model.moe?.sharedExperts ?? 0) * model.parametersPerExpert
        var parameters = layers * model.attentionParametersPerLayer / tp
        parameters += Double(model.denseLayers) * model.denseFeedForwardParametersPerLayer / tp
        parameters += moeLayers * (sharedPerLayer + model.routerParametersPerLayer)
        parameters += moeLayers * Double(c.slotsPerDevice) * model.parametersPerExpert
        parameters += Double(mtpLayers) * 2 * Double(model.hiddenSize * model.hiddenSize)
        let embeddings = model.embeddingParameters / tp * 2
        let weights = Bytes(Int64(parameters * bytes + embeddings))
        let reserve = Bytes(Int64(Double(c.device.memory.count) * Self.activationReserveFraction))
        guard weights + reserve <= c.device.memory else {
            throw PerfModelError.doesNotFit(
                needed: weights + reserve, available: c.device.memory, device: c.device.name)
        }
        weightBytesPerDevice = weights
        activationReserve = reserve
        kvBytesPerDevice = c.device.memory - weights - reserve
        let shards: Double
        switch model.attention {
        case .mla: shards = 1
        case .gqa(_, let kvHeads, _): shards = min(tp, Double(kvHeads))
        }
        let kvLayersFactor = layers / Double(model.layers)
        kvBytesPerToken = Double(model.kvBytesPerToken(format: c.kvFormat).count) * kvLayersFactor / shards
        kvCapacityTokensPerDevice = Int(Double(kvBytesPerDevice.count) / kvBytesPerToken)
        kvCapacityTokensPerInstance = kvCapacityTokensPerDevice * c.attentionDP
    }
}
