import Deployment
import MoECore
import Reports
import Simulation
import TestSupport
import Testing
import Workload

/// Replays the Azure conversation trace through the default cluster (as `moeserve simulate --trace`) and
/// checks the reported totals against the trace's own.
@Suite struct TraceReplayTests {
    static func replay(_ path: String) throws -> (RecordedRun, prompt: Int, output: Int, rows: Int, last: SimTime) {
        var scenario = try shippedScenario("default.yaml")
        scenario.workload.source = .trace(path: path)
        scenario.workload.duration = nil
        scenario.workload.limit = nil
        var reader = try AzureTraceReader(path: path)
        var prompt = 0
        var output = 0
        var rows = 0
        var last = SimTime.zero
        while let request = try reader.next() {
            prompt += request.promptTokens
            output += request.outputTokens
            rows += 1
            last = request.arrival
        }
        return (try simulate(scenario), prompt, output, rows, last)
    }

    static func expectTotalsMatch(_ path: String) throws {
        let (run, prompt, output, rows, last) = try replay(path)
        expectConservation(run)
        let object = run.report.jsonObject()
        #expect(object["completed"] as? Int == rows)
        #expect(object["total_input_tokens"] as? Int == prompt)
        #expect(object["total_output_tokens"] as? Int == output)
        let duration = try #require(object["duration"] as? Double)
        #expect(duration > last.seconds && duration < last.seconds + 120, "duration \(duration) s")
        let throughput = try #require(object["output_throughput"] as? Double)
        #expect(abs(throughput - Double(output) / duration) < 1e-9 * throughput)
        let total = try #require(object["total_token_throughput"] as? Double)
        #expect(abs(total - Double(prompt + output) / duration) < 1e-9 * total)
        #expect(object["request_throughput"] as? Double == Double(rows) / duration)
    }

    @Test func theShippedAzureSliceIsReplayedWhole() throws {
        // ATTRIBUTION.md: 2,867 requests, 3,287,402 input and 746,194 output tokens.
        let (run, prompt, output, rows, _) = try Self.replay(SharedDataPaths.azureSlice)
        #expect(rows == 2_867 && prompt == 3_287_402 && output == 746_194)
        #expect(run.report.metrics.completed == 2_867)
        try Self.expectTotalsMatch(SharedDataPaths.azureSlice)
    }

    @Test(.requiresSharedData) func theFullAzureConversationTraceIsReplayedWhole() throws {
        try Self.expectTotalsMatch(try SharedData.trace("azure-llm-2023/AzureLLMInferenceTrace_conv.csv"))
    }
}
