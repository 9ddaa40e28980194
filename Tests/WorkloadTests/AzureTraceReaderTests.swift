import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

@Suite struct AzureTraceReaderTests {
    /// Token sums computed the plain way (Foundation string splitting), independent of the reader.
    static func independentTotals(_ path: String) throws -> (count: Int, prompt: Int, output: Int) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst()
        var prompt = 0
        var output = 0
        for row in rows {
            let fields = row.split(separator: ",")
            prompt += Int(fields[1])!
            output += Int(fields[2])!
        }
        return (rows.count, prompt, output)
    }

    @Test(.requiresSharedData) func replayingTheConversationTraceReportsTheTracesOwnTokenTotals() throws {
        let path = try TraceFixtures.shared("azure-llm-2023/AzureLLMInferenceTrace_conv.csv")
        var reader = try AzureTraceReader(path: path)
        let requests = try TraceFixtures.drain(&reader)
        let totals = Totals(requests)
        let expected = try Self.independentTotals(path)
        #expect(totals.count == expected.count)
        #expect(totals.promptTokens == expected.prompt)
        #expect(totals.outputTokens == expected.output)
        // SOURCE.md: 19,366 requests, mean input 1,155, mean output 211, span 3,501.7 s.
        #expect(totals.count == 19_366)
        #expect(abs(totals.meanPrompt - 1_155) < 0.5)
        #expect(abs(totals.meanOutput - 211) < 0.5)
        #expect(requests.first?.arrival == .zero)
        #expect(abs(requests.last!.arrival.seconds - 3_501.7) < 0.05)
        #expect(reader.skippedRows == 0 && reader.clampedZeroOutputRows == 0)
    }

    @Test(.requiresSharedData) func theCodeTraceMatchesItsPublishedStatistics() throws {
        var reader = try AzureTraceReader(
            path: try TraceFixtures.shared("azure-llm-2023/AzureLLMInferenceTrace_code.csv"))
        let requests = try TraceFixtures.drain(&reader)
        let totals = Totals(requests)
        // SOURCE.md: 8,819 requests, mean input 2,048, mean output 27.9, span 3,435.9 s.
        #expect(totals.count == 8_819)
        #expect(abs(totals.meanPrompt - 2_048) < 0.5)
        #expect(abs(totals.meanOutput - 27.9) < 0.05)
        #expect(abs(requests.last!.arrival.seconds - 3_435.9) < 0.05)
    }

    @Test func timestampsKeepTheirHundredNanosecondResolution() throws {
        let path = try TraceFixtures.scratchFile(
            "t.csv",
            "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 23:59:59.9999999,5,6\n2023-11-17 00:00:00.0000001,7,8\n"
        )
        var reader = try AzureTraceReader(path: path)
        let requests = try TraceFixtures.drain(&reader)
        #expect(requests.map(\.arrival.nanosecondsSinceStart) == [0, 200])
        #expect(requests.map(\.promptTokens) == [5, 7])
    }

    @Test func aMalformedRowNamesTheFileLineAndColumn() throws {
        let path = try TraceFixtures.scratchFile(
            "AzureLLMInferenceTrace_conv.csv",
            "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n"
                + "2023-11-16 18:15:50.9951690,396,x\r\n")
        let reader = try AzureTraceReader(path: path)
        #expect(try reader.next()?.promptTokens == 374)
        let error = #expect(throws: WorkloadError.self) { try reader.next() }
        #expect(
            error?.description
                == "\(path):3: expected a non-negative integer in column GeneratedTokens, found \"x\"")
    }

    @Test func skipBadRowsCountsEachSkippedRowAndKeepsTheRest() throws {
        let path = try TraceFixtures.scratchFile(
            "t.csv",
            """
            TIMESTAMP,ContextTokens,GeneratedTokens
            2023-11-16 18:15:46.0,10,1
            yesterday,10,1
            2023-11-16 18:15:47.0,0,1
            2023-11-16 18:15:48.0,12
            2023-11-16 18:15:45.0,13,1
            2023-11-16 18:15:49.0,14,2

            """)
        var reader = try AzureTraceReader(path: path, options: TraceReaderOptions(skipBadRows: true))
        let requests = try TraceFixtures.drain(&reader)
        #expect(requests.map(\.promptTokens) == [10, 14])
        #expect(requests.map(\.id.value) == [0, 1])
        #expect(reader.skippedRows == 4)
        #expect(
            reader.skippedRowErrors.map(\.description) == [
                "\(path):3: expected a timestamp YYYY-MM-DD HH:MM:SS.fffffff in column TIMESTAMP, found \"yesterday\"",
                "\(path):4: expected a positive integer in column ContextTokens, found 0",
                "\(path):5: expected a value in column GeneratedTokens, found none",
                "\(path):6: expected arrivals in nondecreasing order, found a timestamp earlier than the previous "
                    + "row's by 1 s",
            ])
    }

    @Test func zeroOutputRowsAreReplayedWithOneTokenAndCounted() throws {
        let path = try TraceFixtures.scratchFile(
            "t.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.0,10,0\n2023-11-16 18:15:47.0,10,3\n"
        )
        var reader = try AzureTraceReader(path: path)
        let requests = try TraceFixtures.drain(&reader)
        #expect(requests.map(\.outputTokens) == [1, 3])
        #expect(reader.clampedZeroOutputRows == 1)
    }

    @Test func aWrongHeaderSaysWhichColumnsAreMissing() throws {
        let path = try TraceFixtures.scratchFile("t.csv", "time,ContextTokens,GeneratedTokens\n1,2,3\n")
        let error = #expect(throws: WorkloadError.self) { try AzureTraceReader(path: path).next() }
        #expect(
            error?.description == "\(path):1: expected a header with columns TIMESTAMP,ContextTokens,GeneratedTokens, "
                + "missing TIMESTAMP in time,ContextTokens,GeneratedTokens")
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        #expect(throws: WorkloadError.unreadable(path: "/nonexistent/trace.csv", reason: "No such file or directory")) {
            try AzureTraceReader(path: "/nonexistent/trace.csv")
        }
    }
}
