import Benchmark
import Foundation
import Server

/// A `/v1/completions` body whose prompt is `tokens` token ids, as `moeserve replay` sends it.
func completionBody(tokens: Int) -> Data {
    let ids = (0..<tokens).map { 100 + ($0 &* 7_919) % 30_000 }
    let object: [String: Any] = ["model": "deepseek-v3", "prompt": ids, "max_tokens": 16, "stream": true]
    guard let body = try? JSONSerialization.data(withJSONObject: object) else { fatalError("unencodable body") }
    return body
}

/// What Foundation's decoder alone takes for the same body (the prompt as `[Int]`), the baseline of the scan.
struct PlainCompletionBody: Decodable {
    var model: String
    var prompt: [Int]
    var max_tokens: Int
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, maxDuration: .seconds(3))
    let limits = GenerationLimits(
        model: "deepseek-v3", vocabularySize: 129_280, maxSequenceTokens: 163_840, chatDefaultMaxTokens: 256)

    // 2,000 ids: a long Azure conversation prompt; 14,000: a typical Mooncake one.
    for tokens in [2_000, 14_000] {
        let body = completionBody(tokens: tokens)
        Benchmark("GenerationRequest of \(tokens) token ids (prompt scan, then JSONDecoder)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try GenerationRequest(body: body, endpoint: .completions, limits: limits))
            }
        }
        Benchmark("JSONDecoder alone, \(tokens) token ids as [Int]") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try JSONDecoder().decode(PlainCompletionBody.self, from: body))
            }
        }
    }

    let chat = Data(
        #"{"model": "deepseek-v3", "messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Summarize the expert-parallel dispatch of a mixture-of-experts layer in three sentences, naming the all-to-all steps."}], "max_completion_tokens": 64, "stream": true}"#
            .utf8)
    Benchmark("GenerationRequest of a two-message chat (text counted)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try GenerationRequest(body: chat, endpoint: .chatCompletions, limits: limits))
        }
    }
}
