/// How a placement is made.
public enum PlacementAlgorithm: String, CaseIterable, Hashable, Sendable {
    /// No replication: each expert on one device, in contiguous blocks (what serving without a plan
    /// does; spare slots stay unused).
    case none
    /// DeepSeek's EPLB, as ``EPLBBaseline`` describes.
    case eplb
    /// This package's planner: ``BalancedLayerPlanner`` for balance, then ``DeviceAssignment`` for
    /// traffic; with a previous placement and a move budget, ``Rebalancer`` instead.
    case planner
}
