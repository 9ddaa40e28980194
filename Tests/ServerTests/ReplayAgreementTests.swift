import Foundation
import TestSupport
import Testing

extension ServedBinaryTests {
    /// Predict with `moeserve simulate`, measure with `moeserve replay` against `moeserve serve`, and diff the
    /// two reports key by key: the same trace slice on the same scenario gives the same counts and tokens, TPOT
    /// and ITL within a fraction of a percent, and TTFT within the engine's margin plus what the HTTP front
    /// adds, which is measured against the engine's own TTFT histogram in the same run.
    @Suite struct ReplayAgreementTests {
        /// Both reports of one slice, and the served engine's own mean TTFT.
        struct Comparison {
            /// `moeserve replay --json` against `moeserve serve`.
            var measured: [String: Any]
            /// `moeserve simulate --json` on the same slice.
            var predicted: [String: Any]
            /// The mean of the engine's `vllm:time_to_first_token_seconds`, back on the trace's clock, in ms.
            var engineMeanTTFT: Double

            func value(_ report: [String: Any], _ key: String) -> Double { report[key] as? Double ?? .nan }
            /// measured / predicted - 1 for `key`.
            func difference(_ key: String) -> Double { value(measured, key) / value(predicted, key) - 1 }
        }

        /// Runs the workflow of Docs/Server.md on the first `requests` rows of a shipped trace: serve the default
        /// scenario at `timeFactor` (round robin, the engine's routing; the gates off, as in the engine's clock
        /// test, since a debug build's gating of a long prefill chunk outlasts its scaled device time), replay
        /// the slice at the same factor, then simulate it routed round robin.
        static func compare(trace: String, requests: Int, timeFactor: Double) async throws -> Comparison {
            let directory = try TemporaryDirectory()
            let lines = try String(
                contentsOfFile: SharedData.packageFile("Simulations/traces/\(trace)"), encoding: .utf8
            )
            .split(whereSeparator: \.isNewline)
            let header = trace.hasSuffix(".csv") ? 1 : 0
            let slice = try directory.write(
                "slice-" + trace, lines.prefix(requests + header).joined(separator: "\n") + "\n")
            let factor = String(timeFactor)
            let server = try await ServerProcess(["--time-factor", factor, "--no-expert-routing"])
            let measuredFile = "\(directory.path)/measured.json"
            let replay = try await BuiltProducts.running(
                "moeserve",
                ["replay", "--trace", slice, "--url", server.url, "--time-factor", factor, "--json", measuredFile])
            try #require(replay.status == 0, "\(replay.standardError)")
            let engineTTFT = try await engineMeanTTFT(port: server.port) / timeFactor
            #expect(await server.stop() == 0)
            let predictedFile = "\(directory.path)/predicted.json"
            let simulate = try await BuiltProducts.running(
                "moeserve", ["simulate", "--trace", slice, "--router", "round_robin", "--json", predictedFile])
            try #require(simulate.status == 0, "\(simulate.standardError)")
            let comparison = Comparison(
                measured: try report(measuredFile), predicted: try report(predictedFile), engineMeanTTFT: engineTTFT)
            for key in ["arrived", "completed", "rejected", "failed", "total_input_tokens", "total_output_tokens"] {
                #expect(comparison.measured[key] as? Int == comparison.predicted[key] as? Int, "\(key)")
            }
            #expect(comparison.measured["completed"] as? Int == requests)
            return comparison
        }

        @Test func replayAgainstServeAgreesWithSimulateOnTheSameSlice() async throws {
            // Half of real time: the 48 requests (40 s of trace) replay in about 20 s.
            let timeFactor = 0.5
            let comparison = try await Self.compare(
                trace: "AzureLLMInferenceTrace_conv_first10min.csv", requests: 48, timeFactor: timeFactor)
            let measured = comparison.measured
            // The cluster's dynamics, its node counts and the simulator's counters only a simulation knows.
            let simulatorOnly: Set = [
                "simulator", "nodes_over_time", "mean_provisioned_nodes", "kv_transfers", "context_cache", "faults",
                "autoscaling", "expert_rebalances",
            ]
            #expect(Set(measured.keys).isSuperset(of: Set(comparison.predicted.keys).subtracting(simulatorOnly)))
            let predictedTTFT = comparison.value(comparison.predicted, "mean_ttft_ms")
            let engineTTFT = comparison.engineMeanTTFT
            let httpFront = (comparison.value(measured, "mean_ttft_ms") - engineTTFT) * timeFactor
            print(
                "replay vs simulate at time factor \(timeFactor): "
                    + ["mean_ttft_ms", "median_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "mean_itl_ms", "duration"]
                    .map { "\($0) \(String(format: "%+.2f%%", 100 * comparison.difference($0)))" }
                    .joined(separator: ", ")
                    + String(
                        format: "; engine mean TTFT %+.2f%%; HTTP front adds %.2f ms of wall time per request",
                        100 * (engineTTFT / predictedTTFT - 1), httpFront))
            // Within the engine's own margin: an idle machine agrees to 0.2%, one loaded by other builds to 2.5%.
            for key in ["mean_tpot_ms", "median_tpot_ms", "mean_itl_ms", "mean_e2el_ms", "duration"] {
                #expect(abs(comparison.difference(key)) < 0.05, "\(key): \(comparison.difference(key))")
            }
            // The engine behind the server meets the engine's own clock-agreement margin...
            #expect(abs(engineTTFT / predictedTTFT - 1) < 0.05)
            // ...and the HTTP front (client, loopback, parsing, streaming) adds a few milliseconds at most.
            #expect(httpFront > 0 && httpFront < 8, "\(httpFront) ms")
            #expect(abs(comparison.difference("mean_ttft_ms")) < 0.05 + httpFront / timeFactor / predictedTTFT)
        }

        /// Mooncake's shared prompt blocks, replayed as token ids, hit the server's prefix cache as often as the
        /// simulator's (the times of a debug build's long prompts are not compared here).
        @Test func replayedMooncakeBlocksHitThePrefixCacheAsSimulated() async throws {
            let comparison = try await Self.compare(
                trace: "mooncake_conversation_first10min.jsonl", requests: 60, timeFactor: 0.1)
            let measured = comparison.measured["cache_hit_rate"] as? Double ?? 0
            let predicted = comparison.predicted["cache_hit_rate"] as? Double ?? 0
            print("prefix cache hit rate on 60 Mooncake requests: replayed \(measured), simulated \(predicted)")
            #expect(predicted > 0.01)
            #expect(abs(measured - predicted) < 0.005)
        }

        /// The mean of the engine's `vllm:time_to_first_token_seconds`, in wall milliseconds.
        static func engineMeanTTFT(port: Int) async throws -> Double {
            let series = "vllm:time_to_first_token_seconds"
            let sum = try #require(
                try await HTTPExchange.metric(#"\#(series)_sum{model_name="deepseek-v3"}"#, port: port))
            let count = try #require(
                try await HTTPExchange.metric(#"\#(series)_count{model_name="deepseek-v3"}"#, port: port))
            return 1_000 * sum / count
        }

        static func report(_ path: String) throws -> [String: Any] {
            try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }
    }
}
