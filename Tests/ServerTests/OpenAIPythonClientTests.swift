import Foundation
import TestSupport
import Testing

@testable import Server

extension ServedBinaryTests {
    /// `moeserve serve` driven by the official `openai` Python package: streamed and whole completions and chat
    /// completions, usage counts, refusals as the SDK's typed errors, and concurrent clients.
    @Suite struct OpenAIPythonClientTests {
        /// Whether `python3` can import `openai` here.
        static let sdkAvailable =
            (try? CommandOutput.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import openai"]).status)
            == 0
        /// `.ci/run` sets this after installing the SDK, so that CI fails rather than skips without it.
        static let sdkRequired = ProcessInfo.processInfo.environment["MOESERVE_REQUIRE_OPENAI"] == "1"

        /// The prompt tokens the server counts for a chat body.
        static func chatPromptTokens(_ messages: [[String: String]]) throws -> Int {
            let body = try JSONSerialization.data(withJSONObject: ["model": "m", "messages": messages])
            let limits = GenerationLimits(
                model: "m", vocabularySize: 10, maxSequenceTokens: 1_000, chatDefaultMaxTokens: 1)
            return try GenerationRequest(body: body, endpoint: .chatCompletions, limits: limits).promptTokenIDs.count
        }

        @Test(
            .enabled(
                if: sdkAvailable || sdkRequired, "needs python3 with the openai package (python3 -m pip install openai)"
            ))
        func theOfficialPythonSDKStreamsCountsUsageAndRunsConcurrently() async throws {
            let server = try await ServerProcess([
                "--scenario", "Simulations/mixtral-8x7b-h100.json", "--time-factor", "0.05",
            ])
            let script = SharedData.packageFile("Tests/ServerTests/Python/openai_client_check.py")
            let run = try await CommandOutput.running(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, server.url + "/v1", "mixtral-8x7b"])
            try #require(run.status == 0, "the script failed:\n\(run.standardError)")
            let observed = try #require(
                try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            func section(_ name: String) -> [String: Any] { observed[name] as? [String: Any] ?? [:] }
            func usage(_ name: String) -> [String: Int]? { section(name)["usage"] as? [String: Int] }
            func usage(prompt: Int, completion: Int) -> [String: Int] {
                ["prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion]
            }

            let completion = section("completion")
            #expect(completion["object"] as? String == "text_completion")
            #expect(completion["finish_reason"] as? String == "stop")
            #expect(usage("completion") == usage(prompt: TextTokenizer.count("Hello, world!"), completion: 5))
            // Five tokens, the last the end of sequence: four words of one token each.
            #expect(TextTokenizer.count(completion["text"] as? String ?? "") == 4)
            #expect(usage("token_prompt") == usage(prompt: 64, completion: 3))

            let stream = section("completion_stream")
            #expect(stream["chunks_with_choices"] as? Int == 7)
            #expect(stream["finish_reason"] as? String == "stop")
            #expect(stream["usage_only_in_last"] as? Bool == true)
            #expect(
                usage("completion_stream") == usage(prompt: TextTokenizer.count("Stream this, please."), completion: 7))
            #expect(TextTokenizer.count(stream["text"] as? String ?? "") == 6)

            let messages = [
                ["role": "system", "content": "You are terse."], ["role": "user", "content": "Say hi to the cluster."],
            ]
            let chatPrompt = try Self.chatPromptTokens(messages)
            let chat = section("chat")
            #expect(chat["object"] as? String == "chat.completion")
            #expect(chat["role"] as? String == "assistant")
            #expect(usage("chat") == usage(prompt: chatPrompt, completion: 6))
            #expect(TextTokenizer.count(chat["content"] as? String ?? "") == 5)
            let chatStream = section("chat_stream")
            #expect(chatStream["chunks_with_choices"] as? Int == 9)
            #expect(chatStream["first_role"] as? String == "assistant")
            #expect(usage("chat_stream") == usage(prompt: chatPrompt, completion: 9))

            let refusals = section("refusals")
            func refusal(_ name: String) -> [String: Any] { refusals[name] as? [String: Any] ?? [:] }
            for name in ["unknown_model", "wrong_type", "past_context", "missing_messages"] {
                #expect(refusal(name)["status"] as? Int == 400, "\(name): \(refusal(name))")
                #expect(refusal(name)["exception"] as? String == "BadRequestError", "\(name)")
                #expect(refusal(name)["type"] as? String == "invalid_request_error", "\(name)")
            }
            #expect(refusal("unknown_model")["code"] as? String == "model_not_found")
            #expect(refusal("wrong_type")["param"] as? String == "n")
            #expect(refusal("past_context")["code"] as? String == "context_length_exceeded")
            #expect(refusal("missing_messages")["param"] as? String == "messages")

            let concurrent = try #require(observed["concurrent"] as? [[String: Any]])
            #expect(concurrent.count == 32)
            for answer in concurrent {
                let index = answer["index"] as? Int ?? -1
                let counted = answer["usage"] as? [String: Int]
                #expect(
                    counted == usage(prompt: TextTokenizer.count("client \(index) asks"), completion: 4 + index % 5))
                #expect(answer["finish_reason"] as? String == "stop")
            }
            let served = try await HTTPExchange.metric(
                #"vllm:request_success_total{finished_reason="stop",model_name="mixtral-8x7b"}"#, port: server.port)
            #expect(served == Double(2 + 1 + 2 + 32))
            #expect(await server.stop() == 0, "\(server.text.standardError)")
        }
    }
}
