import MoECore

/// One engineering lever of the cost waterfall: a scenario transformation (overrides by key path) with
/// what it stands for and where its setting comes from.
public struct CostLever: Sendable, Hashable {
    /// The lever's key in the levers file.
    public var key: String
    /// What the lever is, as the waterfall shows it ("FP8 weights").
    public var title: String
    /// The source of its setting (a paper, a report, a release note).
    public var source: String
    /// The changes it makes to the scenario.
    public var overrides: [ScenarioOverride]
    /// How the cluster grows from this step on, when the lever changes it.
    public var sizing: ClusterSizing?
    /// Why the lever cannot be simulated yet (a feature not built), or nil when it can.
    public var pending: String?

    /// Creates a lever.
    public init(
        key: String, title: String, source: String, overrides: [ScenarioOverride], sizing: ClusterSizing? = nil,
        pending: String? = nil
    ) {
        self.key = key
        self.title = title
        self.source = source
        self.overrides = overrides
        self.sizing = sizing
        self.pending = pending
    }
}

/// One waterfall: a named sequence of levers applied one after another to the baseline.
public struct CostPath: Sendable, Hashable {
    /// The path's name (`h800`, `ascend`).
    public var name: String
    /// What the path ends at ("DeepSeek-V3 on H800").
    public var title: String
    /// The levers, in order.
    public var levers: [CostLever]
}
