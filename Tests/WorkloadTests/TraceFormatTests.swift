import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

@Suite struct TraceFormatTests {
    @Test(.requiresSharedData) func eachSharedFileIsDetectedAsItsFormat() throws {
        let expected: [(String, TraceFormat)] = [
            ("azure-llm-2023/AzureLLMInferenceTrace_conv.csv", .azure),
            ("azure-llm-2023/AzureLLMInferenceTrace_code.csv", .azure),
            ("mooncake-fast25/conversation_trace.jsonl", .mooncake),
            ("mooncake-fast25/synthetic_trace.jsonl", .mooncake),
            ("servegen/reason/deepseek-r1", .serveGen),
            ("servegen/language/m-small", .serveGen),
            ("sharegpt-lengths/sharegpt_8k_filtered_stats_llama2_tokenizer.csv", .lengthTable),
            ("arxiv-summarization-lengths/arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv", .lengthTable),
        ]
        for (relative, format) in expected {
            #expect(try TraceFormat.detect(path: try TraceFixtures.shared(relative)) == format, "\(relative)")
        }
    }

    @Test func aVidurCSVIsDetectedByItsHeader() throws {
        let path = try TraceFixtures.scratchFile(
            "trace.txt", "arrived_at,num_prefill_tokens,num_decode_tokens\n0,1,1\n")
        #expect(try TraceFormat.detect(path: path) == .vidur)
        var source = try TraceFormat.open(path: path)
        #expect(try source.next()?.promptTokens == 1)
    }

    @Test func anUnknownFormatListsTheFormatsItKnows() throws {
        let path = try TraceFixtures.scratchFile("trace.csv", "when,prompt,answer\n1,2,3\n")
        let error = #expect(throws: WorkloadError.self) { try TraceFormat.detect(path: path) }
        let text = try #require(error?.description)
        #expect(
            text.hasPrefix("\(path): unknown trace format (first line \"when,prompt,answer\" matches no known header)"))
        for format in TraceFormat.allCases { #expect(text.contains(format.signature)) }
    }

    @Test(.requiresSharedData) func aLengthTableCannotBeReplayedAsATrace() throws {
        let path = try TraceFixtures.shared("sharegpt-lengths/sharegpt_8k_filtered_stats_llama2_tokenizer.csv")
        let error = #expect(throws: WorkloadError.self) { try TraceFormat.open(path: path) }
        #expect(error?.description.contains("has no arrival times") == true)
    }

    @Test func openingReplacesTheWorkloadWithTheDetectedReader() throws {
        var source = try TraceFormat.open(path: TraceFixtures.shipped("mooncake_conversation_first10min.jsonl"))
        let first = try #require(try source.next())
        #expect(first.prefixBlockHashes.count == 14)
    }
}

@Suite struct CompressedTraceTests {
    @Test func aGzippedTraceIsDetectedAndReadLikeThePlainOne() throws {
        let plain = TraceFixtures.shipped("mooncake_conversation_first10min.jsonl")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workload-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let compressed = folder.appendingPathComponent("trace.jsonl.gz").path
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(plain)' > '\(compressed)'"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        #expect(try TraceFormat.detect(path: compressed) == .mooncake)
        var fromGzip = try TraceFormat.open(path: compressed)
        var fromPlain = try MooncakeTraceReader(path: plain)
        #expect(try TraceFixtures.drain(&fromGzip) == TraceFixtures.drain(&fromPlain))
    }
}
