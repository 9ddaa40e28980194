/// Identifies one request for its whole life, across the router, scheduler, engine and reports.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number, unique within one run (trace readers number requests in arrival order).
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public static func < (lhs: RequestID, rhs: RequestID) -> Bool { lhs.value < rhs.value }
    public var description: String { "req-\(value)" }
}

/// One inference request as a workload describes it: when it arrives, how long its prompt and
/// output are, which prompt blocks it shares with others, and its service level.
///
/// The output length is known in advance because traces record it; the scheduler uses it only where
/// a real server would know it too (`max_tokens`, end of sequence), and the SGLang-style admission
/// policy uses it as the expected output length.
public struct RequestSpec: Hashable, Sendable {
    /// Unique id.
    public var id: RequestID
    /// Arrival instant.
    public var arrival: SimTime
    /// Prompt (input) tokens.
    public var promptTokens: Int
    /// Output tokens to generate (at least 1).
    public var outputTokens: Int
    /// Hashes of the prompt's leading blocks, chained (each hash identifies the block and all before
    /// it), as Mooncake traces give them; empty when the workload has no prefix information.
    public var prefixBlockHashes: [UInt64]
    /// Tokens covered by one entry of `prefixBlockHashes` (512 in the Mooncake traces).
    public var prefixBlockTokens: Int
    /// Scheduling priority; larger is more urgent. 0 is the default class.
    public var priority: Int
    /// Time-to-first-token objective, if the request's tier has one.
    public var ttftSLO: SimDuration?
    /// Time-per-output-token objective, if the request's tier has one.
    public var tpotSLO: SimDuration?

    public init(
        id: RequestID, arrival: SimTime, promptTokens: Int, outputTokens: Int, prefixBlockHashes: [UInt64] = [],
        prefixBlockTokens: Int = 512, priority: Int = 0, ttftSLO: SimDuration? = nil, tpotSLO: SimDuration? = nil
    ) {
        self.id = id
        self.arrival = arrival
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.prefixBlockHashes = prefixBlockHashes
        self.prefixBlockTokens = prefixBlockTokens
        self.priority = priority
        self.ttftSLO = ttftSLO
        self.tpotSLO = tpotSLO
    }
}
