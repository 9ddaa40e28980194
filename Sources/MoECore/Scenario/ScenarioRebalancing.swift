/// Periodic expert re-balancing inside a run (the `expert_rebalancing` section): every `interval`, each MoE
/// instance re-plans its expert placement from the expert loads it observed in the window, moving at most
/// `maximumMoves` expert copies, and pauses while the weights migrate. DeepSeek re-balances its redundant
/// experts about every ten minutes.
public struct ScenarioRebalancing: Hashable, Sendable {
    /// Time between two re-plans.
    public var interval: SimDuration
    /// Most expert copies (slots, over all layers) one re-plan may change, or nil to re-plan from scratch.
    public var maximumMoves: Int?

    /// Creates a policy.
    public init(interval: SimDuration = .seconds(600), maximumMoves: Int? = nil) {
        self.interval = interval
        self.maximumMoves = maximumMoves
    }
}

extension ScenarioRebalancing {
    /// Decodes `{interval_min, max_moves}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["interval_min", "max_moves"])
        self.init()
        if let node = fields.optional("interval_min") { interval = .seconds(try node.number(.positive) * 60) }
        maximumMoves = try fields.optional("max_moves")?.integer(.positive)
    }
}
