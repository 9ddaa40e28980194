import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

@Suite struct MooncakeTraceReaderTests {
    static func conversationPath() throws -> String {
        try TraceFixtures.shared("mooncake-fast25/conversation_trace.jsonl")
    }

    @Test(.requiresSharedData) func theConversationTraceMatchesItsPublishedStatistics() throws {
        var reader = try MooncakeTraceReader(path: try Self.conversationPath())
        let requests = try TraceFixtures.drain(&reader)
        let totals = Totals(requests)
        // SOURCE.md: 12,031 requests, mean input 12,035, mean output 343, 288,500 blocks of 512 tokens.
        #expect(totals.count == 12_031)
        #expect(abs(totals.meanPrompt - 12_035) < 0.5)
        #expect(abs(totals.meanOutput - 343) < 0.5)
        #expect(totals.prefixBlocks == 288_500)
        #expect(requests.allSatisfy { $0.prefixBlockTokens == 512 })
        #expect(Set(requests.flatMap(\.prefixBlockHashes)).count == 182_790)
        #expect(requests[0].prefixBlockHashes == Array(0...13))
    }

    @Test(.requiresSharedData) func theSyntheticTraceMatchesItsPublishedStatistics() throws {
        var reader = try MooncakeTraceReader(path: try TraceFixtures.shared("mooncake-fast25/synthetic_trace.jsonl"))
        let totals = Totals(try TraceFixtures.drain(&reader))
        // SOURCE.md: 3,993 requests, mean input 15,325, mean output 149, 121,877 blocks.
        #expect(totals.count == 3_993)
        #expect(abs(totals.meanPrompt - 15_325) < 0.5)
        #expect(abs(totals.meanOutput - 149) < 0.5)
        #expect(totals.prefixBlocks == 121_877)
    }

    @Test(.requiresSharedData) func requestsSharingAQuantizedTimestampAreSpreadWithinTheirSlot() throws {
        let path = try Self.conversationPath()
        var exact = try MooncakeTraceReader(path: path, options: TraceReaderOptions(slotSpreading: .off))
        var spread = try MooncakeTraceReader(path: path)
        let slots = try TraceFixtures.drain(&exact).map(\.arrival.nanosecondsSinceStart)
        let arrivals = try TraceFixtures.drain(&spread).map(\.arrival.nanosecondsSinceStart)
        #expect(slots.count == arrivals.count)
        #expect(zip(slots, arrivals).allSatisfy { slot, arrival in arrival >= slot && arrival < slot + 3_000_000_000 })
        // Quantized, 90.2% of gaps are 0 (SOURCE.md); spread, ties become rare.
        let zeroGaps = zip(arrivals, arrivals.dropFirst()).filter { $0 == $1 }.count
        #expect(Double(zeroGaps) / Double(arrivals.count) < 0.01)
        #expect(Double(zip(slots, slots.dropFirst()).filter { $0 == $1 }.count) / Double(slots.count) > 0.9)
        // One slot's requests, never the whole file, are held at once.
        #expect(spread.peakBufferedRequests <= 64)
        #expect(spread.peakBufferedRequests >= 10)
    }

    @Test(.requiresSharedData) func spreadingIsFixedByTheSeed() throws {
        let path = try Self.conversationPath()
        func arrivals(seed: UInt64) throws -> [SimTime] {
            var reader = try TransformedSource(
                MooncakeTraceReader(path: path, options: TraceReaderOptions(seed: seed)),
                transform: WorkloadTransform(limit: 500))
            return try TraceFixtures.drain(&reader).map(\.arrival)
        }
        #expect(try arrivals(seed: 7) == arrivals(seed: 7))
        #expect(try arrivals(seed: 7) != arrivals(seed: 8))
    }

    @Test func aLoneRequestKeepsItsTimestamp() throws {
        let path = try TraceFixtures.scratchFile(
            "t.jsonl",
            """
            {"timestamp": 1000, "input_length": 10, "output_length": 2, "hash_ids": [0]}
            {"timestamp": 1500, "input_length": 600, "output_length": 2, "hash_ids": [0, 1]}
            {"timestamp": 1500, "input_length": 20, "output_length": 2, "hash_ids": [2]}
            {"timestamp": 9000, "input_length": 20, "output_length": 2, "hash_ids": [3]}
            """)
        var reader = try MooncakeTraceReader(path: path)
        let arrivals = try TraceFixtures.drain(&reader).map(\.arrival.nanosecondsSinceStart)
        #expect(arrivals[0] == 0)
        #expect(arrivals[1] >= 500_000_000 && arrivals[2] < 3_500_000_000)
        #expect(arrivals[3] == 8_000_000_000)
    }

    @Test func keyOrderWhitespaceAndUnknownKeysAreAccepted() throws {
        let path = try TraceFixtures.scratchFile(
            "t.jsonl",
            #"{ "hash_ids" : [ 5 ,6 ], "note": {"a": [1, "x,]"]}, "output_length":3,"input_length": 513, "timestamp": 2.5 }"#
        )
        let reader = try MooncakeTraceReader(path: path)
        let request = try #require(try reader.next())
        #expect(request.prefixBlockHashes == [5, 6])
        #expect(request.promptTokens == 513 && request.outputTokens == 3)
    }

    @Test(arguments: [
        (
            #"{"timestamp": 0, "input_length": 10, "output_length": 2}x"#,
            "expected the end of the line after the object at byte 57, found \"x\""
        ),
        (#"{"timestamp": 0, "output_length": 2, "hash_ids": [0]}"#, "expected key \"input_length\", found none"),
        (
            #"{"timestamp": 0, "input_length": 1025, "output_length": 2, "hash_ids": [0]}"#,
            "expected ⌈input_length / 512⌉ = 3 hash_ids, found 1"
        ),
        (
            #"{"timestamp": -4, "input_length": 10, "output_length": 2, "hash_ids": [0]}"#,
            "expected non-negative milliseconds in key \"timestamp\", found \"-4\""
        ),
        (
            #"{"timestamp": 0, "input_length": 10, "output_length": 2, "hash_ids": [0,]}"#,
            "expected a number at byte 73, found \"]}\""
        ),
    ])
    func malformedLinesNameTheLineAndWhatWasExpected(line: String, message: String) throws {
        let good = #"{"timestamp": 0, "input_length": 10, "output_length": 2, "hash_ids": [0]}"#
        let path = try TraceFixtures.scratchFile("t.jsonl", good + "\n" + line + "\n" + good + "\n")
        var strict = try MooncakeTraceReader(path: path)
        let error = #expect(throws: WorkloadError.self) { _ = try TraceFixtures.drain(&strict) }
        #expect(error == .malformedRow(path: path, line: 2, message: message))
        var lenient = try MooncakeTraceReader(path: path, options: TraceReaderOptions(skipBadRows: true))
        #expect(try TraceFixtures.drain(&lenient).count == 2)
        #expect(lenient.skippedRows == 1)
    }

    @Test func theLineReaderNeverHoldsMoreThanItsBufferAndOneLine() throws {
        // Lines longer than the buffer still come back whole, and a final line without newline counts.
        let long = String(repeating: "7", count: LineReader.bufferSize * 2 + 3)
        let path = try TraceFixtures.scratchFile("t.txt", "a\r\n\(long)\n\nlast")
        let lines = try LineReader(path: path)
        var seen: [String] = []
        while try lines.advance() { seen.append(String(decoding: lines.line, as: UTF8.self)) }
        #expect(seen == ["a", long, "", "last"])
        #expect(lines.lineNumber == 4)
    }
}
