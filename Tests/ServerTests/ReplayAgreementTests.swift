import Foundation
import TestSupport
import Testing

extension ServedBinaryTests {
    /// Predict with `moeserve simulate`, measure with `moeserve replay` against `moeserve serve`, and diff the
    /// two reports key by key: the same trace slice on the same scenario gives the same counts and tokens, TPOT
    /// and ITL within a fraction of a percent, and TTFT within the engine's margin plus what the HTTP front
    /// adds, which is measured against the engine's own TTFT histogram in the same run.
    @Suite struct ReplayAgreementTests {
        /// Half of real time: the 48 requests (40 s of trace) replay in about 20 s.
        static let timeFactor = 0.5

        @Test func replayAgainstServeAgreesWithSimulateOnTheSameSlice() async throws {
            let directory = try TemporaryDirectory()
            let lines = try String(
                contentsOfFile: SharedData.packageFile(
                    "Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv"),
                encoding: .utf8
            ).split(whereSeparator: \.isNewline)
            let slice = try directory.write("slice.csv", lines.prefix(49).joined(separator: "\n") + "\n")
            let factor = String(Self.timeFactor)
            // The engine routes round robin; routing tokens through the gates is off, as in the engine's clock
            // test (a debug build's gating of a long prefill chunk outlasts its scaled device time).
            let server = try await ServerProcess(["--time-factor", factor, "--no-expert-routing"])
            let measuredFile = "\(directory.path)/measured.json"
            let replay = try await BuiltProducts.running(
                "moeserve",
                ["replay", "--trace", slice, "--url", server.url, "--time-factor", factor, "--json", measuredFile])
            try #require(replay.status == 0, "\(replay.standardError)")
            let engineTTFT = try await Self.engineMeanTTFT(port: server.port) / Self.timeFactor
            #expect(await server.stop() == 0)
            let predictedFile = "\(directory.path)/predicted.json"
            let simulate = try await BuiltProducts.running(
                "moeserve", ["simulate", "--trace", slice, "--router", "round_robin", "--json", predictedFile])
            try #require(simulate.status == 0, "\(simulate.standardError)")
            let measured = try Self.report(measuredFile)
            let predicted = try Self.report(predictedFile)

            for key in ["arrived", "completed", "rejected", "failed", "total_input_tokens", "total_output_tokens"] {
                #expect(measured[key] as? Int == predicted[key] as? Int, "\(key)")
            }
            #expect(measured["completed"] as? Int == 48)
            #expect(Set(measured.keys).isSuperset(of: predicted.keys.filter { $0 != "simulator" }))
            func value(_ report: [String: Any], _ key: String) -> Double { report[key] as? Double ?? .nan }
            func difference(_ key: String) -> Double { value(measured, key) / value(predicted, key) - 1 }
            let predictedTTFT = value(predicted, "mean_ttft_ms")
            let httpFront = (value(measured, "mean_ttft_ms") - engineTTFT) * Self.timeFactor
            print(
                "replay vs simulate at time factor \(factor): "
                    + ["mean_ttft_ms", "median_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "mean_itl_ms", "duration"]
                    .map { "\($0) \(String(format: "%+.2f%%", 100 * difference($0)))" }.joined(separator: ", ")
                    + String(
                        format: "; engine mean TTFT %+.2f%%; HTTP front adds %.2f ms of wall time per request",
                        100 * (engineTTFT / predictedTTFT - 1), httpFront))
            for key in ["mean_tpot_ms", "median_tpot_ms", "mean_itl_ms", "mean_e2el_ms", "duration"] {
                #expect(abs(difference(key)) < 0.01, "\(key): \(difference(key))")
            }
            // The engine behind the server meets the engine's own clock-agreement margin...
            #expect(abs(engineTTFT / predictedTTFT - 1) < 0.05)
            // ...and the HTTP front (client, loopback, parsing, streaming) adds a few milliseconds at most.
            #expect(httpFront > 0 && httpFront < 8, "\(httpFront) ms")
            #expect(abs(difference("mean_ttft_ms")) < 0.05 + httpFront / Self.timeFactor / predictedTTFT)
        }

        /// Mooncake's shared prompt blocks, replayed as token ids, hit the server's prefix cache as often as the
        /// simulator's (the times of a debug build's long prompts are not compared here).
        @Test func replayedMooncakeBlocksHitThePrefixCacheAsSimulated() async throws {
            let directory = try TemporaryDirectory()
            let lines = try String(
                contentsOfFile: SharedData.packageFile("Simulations/traces/mooncake_conversation_first10min.jsonl"),
                encoding: .utf8
            ).split(whereSeparator: \.isNewline)
            let slice = try directory.write("slice.jsonl", lines.prefix(60).joined(separator: "\n") + "\n")
            let server = try await ServerProcess(["--time-factor", "0.1", "--no-expert-routing"])
            let measuredFile = "\(directory.path)/measured.json"
            let replay = try await BuiltProducts.running(
                "moeserve",
                ["replay", "--trace", slice, "--url", server.url, "--time-factor", "0.1", "--json", measuredFile])
            try #require(replay.status == 0, "\(replay.standardError)")
            #expect(await server.stop() == 0)
            let predictedFile = "\(directory.path)/predicted.json"
            let simulate = try await BuiltProducts.running(
                "moeserve", ["simulate", "--trace", slice, "--router", "round_robin", "--json", predictedFile])
            try #require(simulate.status == 0, "\(simulate.standardError)")
            let measured = try Self.report(measuredFile)
            let predicted = try Self.report(predictedFile)
            for key in ["completed", "total_input_tokens", "total_output_tokens"] {
                #expect(measured[key] as? Int == predicted[key] as? Int, "\(key)")
            }
            let measuredHits = measured["cache_hit_rate"] as? Double ?? 0
            let predictedHits = predicted["cache_hit_rate"] as? Double ?? 0
            print("prefix cache hit rate on 60 Mooncake requests: replayed \(measuredHits), simulated \(predictedHits)")
            #expect(predictedHits > 0.01)
            #expect(abs(measuredHits - predictedHits) < 0.005)
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
