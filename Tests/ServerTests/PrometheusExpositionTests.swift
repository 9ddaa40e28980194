import Engine
import Foundation
import MoECore
import TestSupport
import Testing

@testable import Server

/// The `/metrics` page: vLLM's names, Prometheus's text format.
@Suite(.wallClockExclusive) struct PrometheusExpositionTests {
    /// The page of an engine that served two requests (Mixtral on H100, as fast as the CPU allows).
    static func page() async throws -> String {
        let scenario = try Scenario.load(file: SharedData.packageFile("Simulations/mixtral-8x7b-h100.json"))
        let engine = try ServingEngine(scenario: scenario, mock: .init(seed: 1, timeFactor: 0))
        for id in 1...2 {
            let spec = RequestSpec(id: RequestID(UInt64(id)), arrival: .zero, promptTokens: 100, outputTokens: 8)
            _ = try await engine.submit(spec).collect()
        }
        let text = PrometheusExposition(modelName: "mix\"tral").render(
            await engine.metrics(), httpResponses: [200: 2, 429: 1])
        await engine.shutdown()
        return text
    }

    @Test func everyLineIsACommentOrASampleInTheTextFormat() async throws {
        let text = try await Self.page()
        let sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_]+="([^"\\]|\\.)*",?)*\} (-?[0-9][0-9.e+-]*|\+Inf|NaN)$/
        let comment = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/
        for line in text.split(separator: "\n") {
            #expect(line.wholeMatch(of: sample) != nil || line.wholeMatch(of: comment) != nil, "\(line)")
        }
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#"model_name="mix\"tral""#))
    }

    @Test func vLLMsFamiliesArePresentWithTheirTypes() async throws {
        let text = try await Self.page()
        let families = [
            ("vllm:num_requests_running", "gauge"), ("vllm:num_requests_waiting", "gauge"),
            ("vllm:kv_cache_usage_perc", "gauge"), ("vllm:num_preemptions_total", "counter"),
            ("vllm:prompt_tokens_total", "counter"), ("vllm:generation_tokens_total", "counter"),
            ("vllm:request_success_total", "counter"), ("vllm:time_to_first_token_seconds", "histogram"),
            ("vllm:inter_token_latency_seconds", "histogram"), ("vllm:e2e_request_latency_seconds", "histogram"),
            ("vllm:request_queue_time_seconds", "histogram"),
            ("vllm:request_time_per_output_token_seconds", "histogram"),
        ]
        for (name, type) in families { #expect(text.contains("# TYPE \(name) \(type)\n"), "\(name)") }
        #expect(text.contains(#"vllm:prompt_tokens_total{model_name="mix\"tral"} 200"#))
        #expect(text.contains(#"vllm:generation_tokens_total{model_name="mix\"tral"} 16"#))
        #expect(text.contains(#"vllm:request_success_total{finished_reason="stop",model_name="mix\"tral"} 2"#))
        #expect(text.contains(#"vllm:num_requests_running{engine="3",model_name="mix\"tral"} 0"#))
        #expect(text.contains(#"moeserve:http_responses_total{code="429",model_name="mix\"tral"} 1"#))
    }

    @Test func histogramBucketsAreCumulativeAndEndAtTheCount() async throws {
        let text = try await Self.page()
        let prefix = "vllm:time_to_first_token_seconds"
        let buckets = text.split(separator: "\n").filter { $0.hasPrefix(prefix + "_bucket{") }
        let counts = buckets.compactMap { Int($0.split(separator: " ").last ?? "") }
        #expect(counts.count == LatencyHistogram.timeToFirstToken.upperBounds.count + 1)
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(buckets.first?.contains(#"le="0.001""#) == true)
        #expect(buckets.last?.contains(#"le="+Inf""#) == true)
        #expect(counts.last == 2)
        #expect(text.contains(#"\#(prefix)_count{model_name="mix\"tral"} 2"#))
    }
}
