import Foundation
import TestSupport
import Testing

@testable import Server

/// Seeded fuzzing of request bodies: every body either parses into a request the engine can take or is a 400
/// with a message; nothing traps.
@Suite(.wallClockExclusive) struct RequestFuzzTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func fuzzedBodiesParseOrAreRefusedWithA400(seed: UInt64) {
        var fuzzer = RequestFuzzer(seed: seed)
        let limits = GenerationRequestTests.limits
        var parsed = 0
        var refused = 0
        for _ in 0..<1_500 {
            let (route, body) = fuzzer.next(model: limits.model)
            let endpoint: GenerationRequest.Endpoint = route == .completions ? .completions : .chatCompletions
            do {
                let request = try GenerationRequest(body: body, endpoint: endpoint, limits: limits)
                #expect(!request.promptTokenIDs.isEmpty)
                #expect(request.maxTokens >= 1)
                #expect(request.promptTokenIDs.count + request.maxTokens <= limits.maxSequenceTokens)
                parsed += 1
            } catch {
                #expect(error.status == 400, "\(error)")
                #expect(!error.message.isEmpty)
                refused += 1
            }
        }
        // The mutations reach both sides: some bodies stay valid, most do not.
        #expect(parsed > 50, "parsed \(parsed), refused \(refused)")
        #expect(refused > 500, "parsed \(parsed), refused \(refused)")
    }
}
