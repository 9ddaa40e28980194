import MoECore

/// How well a placement serves a request's loads, for the step the request describes.
public struct PlacementMetrics: Hashable, Sendable {
    /// SGLang's balancedness: per layer, the mean device load over the largest, averaged over layers
    /// (1 is perfect balance).
    public var balancedness: Double
    /// Balancedness of each MoE layer.
    public var layerBalancedness: [Double]
    /// Per layer, each device's share of the layer's routed token copies.
    public var deviceLoadShares: [[Double]]
    /// The routed-expert part of one MoE layer (expert GEMMs on the busiest device, dispatch, combine),
    /// averaged over layers, for one micro-batch of the request's step.
    public var moeLayerTime: SimDuration
    /// The same summed over all MoE layers: what routed experts add to one step.
    public var moeTimePerStep: SimDuration
    /// Bytes the instance's devices send through their NICs in one step (dispatch and combine, all
    /// MoE layers).
    public var nicBytes: Bytes
    /// Bytes sent over the scale-up links (NVLink, HCCS, UB) in one step.
    public var scaleUpBytes: Bytes
    /// Bytes that cross a CPU socket between a device and its NIC in one step (sent and received).
    public var interSocketBytes: Bytes
    /// Distinct remote nodes one token's copies reach, averaged over layers.
    public var remoteNodesPerToken: Double
    /// Copies of one token that go to experts on other nodes, averaged over layers.
    public var remoteCopiesPerToken: Double
    /// Weights one device holds: its expert slots plus everything every device holds.
    public var weightBytesPerDevice: Bytes
}

/// What moving from one placement to another costs: every expert copy a device did not hold before is
/// read from the nearest device that held it (over the scale-up links within a node, else the NICs).
public struct ExpertMigration: Hashable, Sendable {
    /// Expert copies (slots, over all layers) that change.
    public var expertsMoved: Int
    /// Weight bytes those copies send.
    public var bytes: Bytes
    /// The part of `bytes` that crosses nodes.
    public var nicBytes: Bytes
    /// How long the copies take when every device sends and receives its copies one after another at
    /// its path's bandwidth, all devices at once: the busiest device's total.
    public var time: SimDuration
}

/// A placement with its metrics, and what it costs to reach from the previous placement.
public struct PlacementPlan: Sendable {
    /// The placement: per layer, the logical expert of each slot and each slot's token share.
    public var placement: ExpertPlacement
    /// How it serves the request's loads.
    public var metrics: PlacementMetrics
    /// The move from the request's previous placement, when it had one.
    public var migration: ExpertMigration?
}
