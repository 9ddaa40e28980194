/// Latency objectives requests are judged against.
public struct ScenarioSLO: Hashable, Sendable {
    /// Time to first token objective, or nil for none.
    public var ttft: SimDuration?
    /// Time per output token objective, or nil for none.
    public var tpot: SimDuration?

    /// No objectives.
    public init() {}
}

extension ScenarioSLO {
    /// Decodes `{ttft_ms, tpot_ms}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["ttft_ms", "tpot_ms"])
        self.init()
        ttft = try fields.optional("ttft_ms").map { .milliseconds(try $0.number(.positive)) }
        tpot = try fields.optional("tpot_ms").map { .milliseconds(try $0.number(.positive)) }
    }
}
