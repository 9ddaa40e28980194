import MoECore

/// The mock backend's deterministic streams: which token a request samples at each output position and
/// the uniform draw that routes each of its token positions, all fixed by the seed, the request id and
/// the position, and never by batching, timing or preemption (a recomputed token routes as before).
struct MockTokens: Sendable {
    /// Token ids are drawn from `0..<vocabularySize`.
    let vocabularySize: Int
    /// The end-of-sequence token, sampled at a request's last output position and never before.
    let endOfSequence: UInt32
    private let tokenRoot: SeededGenerator
    private let routingRoot: SeededGenerator

    init(seed: UInt64, vocabularySize: Int, endOfSequence: UInt32) {
        self.vocabularySize = vocabularySize
        self.endOfSequence = endOfSequence
        let root = SeededGenerator(seed: seed)
        tokenRoot = root.derived(stream: 1)
        routingRoot = root.derived(stream: 2)
    }

    /// The token `request` samples as output number `index` (0-based) of `outputTokens`.
    func token(of request: RequestID, index: Int, outputTokens: Int) -> SampledToken {
        if index == outputTokens - 1 { return SampledToken(id: request, token: endOfSequence, isEndOfSequence: true) }
        var generator = tokenRoot.derived(stream: request.value).derived(stream: UInt64(index))
        var token = UInt32(generator.next() % UInt64(vocabularySize - 1))
        if token >= endOfSequence { token += 1 }
        return SampledToken(id: request, token: token, isEndOfSequence: false)
    }

    /// The generator of routing draws (one uniform per MoE layer, in layer order) for the token at sequence
    /// position `position` (prompt tokens first, then outputs) of `request`.
    func routingDraws(of request: RequestID, position: Int) -> SeededGenerator {
        routingRoot.derived(stream: request.value).derived(stream: UInt64(position))
    }
}
