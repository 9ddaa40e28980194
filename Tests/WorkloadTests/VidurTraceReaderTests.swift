import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

@Suite struct VidurTraceReaderTests {
    @Test(.requiresSharedData) func aVidurExportOfTheAzureTraceReplaysIdentically() throws {
        // Vidur's splitwise_conv.csv is the Azure conversation trace with relative-second arrivals.
        var azure = try AzureTraceReader(
            path: try TraceFixtures.shared("azure-llm-2023/AzureLLMInferenceTrace_conv.csv"))
        let original = try TraceFixtures.drain(&azure)
        var csv = ",arrived_at,num_prefill_tokens,num_decode_tokens\n"
        for request in original {
            let seconds = request.arrival.nanosecondsSinceStart
            let fraction = String(seconds % 1_000_000_000)
            let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
            csv +=
                "\(request.id.value),\(seconds / 1_000_000_000).\(padded),\(request.promptTokens),\(request.outputTokens)\n"
        }
        let path = try TraceFixtures.scratchFile("splitwise_conv.csv", csv)
        var vidur = try VidurTraceReader(path: path)
        #expect(try TraceFixtures.drain(&vidur) == original)
    }

    @Test func arrivalsAreRelativeToTheFirstRow() throws {
        let path = try TraceFixtures.scratchFile(
            "t.csv", "num_decode_tokens,arrived_at,num_prefill_tokens\n5,10.5,100\n6,11.25,200\n")
        var reader = try VidurTraceReader(path: path)
        let requests = try TraceFixtures.drain(&reader)
        #expect(requests.map(\.arrival) == [.zero, .seconds(0.75)])
        #expect(requests.map(\.outputTokens) == [5, 6])
    }

    @Test func aBadArrivalTimeNamesTheLine() throws {
        let path = try TraceFixtures.scratchFile(
            "t.csv", "arrived_at,num_prefill_tokens,num_decode_tokens\n0.0,1,1\nsoon,1,1\n")
        var reader = try VidurTraceReader(path: path)
        let error = #expect(throws: WorkloadError.self) { _ = try TraceFixtures.drain(&reader) }
        #expect(
            error
                == .malformedRow(
                    path: path, line: 3, message: "expected non-negative seconds in column arrived_at, found \"soon\""))
    }
}
