import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

@Suite struct LengthTableTests {
    @Test(.requiresSharedData) func theShareGPTTableMatchesItsPublishedStatistics() throws {
        let table = try LengthTable(
            csvPath: try TraceFixtures.shared("sharegpt-lengths/sharegpt_8k_filtered_stats_llama2_tokenizer.csv"))
        // SOURCE.md: 30,731 rows, mean input 2,340, mean output 439, min output 2.
        #expect(table.count == 30_731)
        #expect(abs(table.meanPromptTokens - 2_340) < 0.5)
        #expect(abs(table.meanOutputTokens - 439) < 0.5)
        #expect(table.clampedZeroOutputRows == 0)
    }

    @Test(.requiresSharedData) func theArxivTableMatchesItsPublishedStatistics() throws {
        let table = try LengthTable(
            csvPath: try TraceFixtures.shared(
                "arxiv-summarization-lengths/arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv"))
        // SOURCE.md: 28,257 rows, mean input 2,588, mean output 291.
        #expect(table.count == 28_257)
        #expect(abs(table.meanPromptTokens - 2_588) < 0.5)
        #expect(abs(table.meanOutputTokens - 291) < 0.5)
    }

    @Test func aTableCollectedFromTheAzureTraceSamplesItsMeans() throws {
        var reader = try AzureTraceReader(path: TraceFixtures.shipped("AzureLLMInferenceTrace_conv_first10min.csv"))
        let table = try LengthTable(collecting: &reader)
        #expect(table.count == 2_867)
        var generator = SeededGenerator(seed: 9)
        var prompt = 0
        var output = 0
        for _ in 0..<100_000 {
            let lengths = LengthDistribution.table(table).sample(using: &generator)
            prompt += lengths.promptTokens
            output += lengths.outputTokens
        }
        #expect(abs(Double(prompt) / 100_000 / table.meanPromptTokens - 1) < 0.02)
        #expect(abs(Double(output) / 100_000 / table.meanOutputTokens - 1) < 0.02)
    }

    @Test func aMalformedLengthRowNamesFileAndLine() throws {
        let path = try TraceFixtures.scratchFile(
            "lengths.csv", "num_prefill_tokens,num_decode_tokens,pd_ratio\n10,5,2\n7,-1,0\n")
        let error = #expect(throws: WorkloadError.self) { try LengthTable(csvPath: path) }
        #expect(
            error
                == .malformedRow(
                    path: path, line: 3,
                    message: "expected a non-negative integer in column num_decode_tokens, found \"-1\""))
    }

    @Test func pythonDictLiteralsParseWithoutEval() throws {
        let pmf = try #require(try DiscretePMF(pythonDictLiteral: "{1: 0.25, 3: 0.75}"))
        #expect(pmf.values == [1, 3])
        #expect(abs(pmf.mean - 2.5) < 1e-12)
        #expect(try DiscretePMF(pythonDictLiteral: " {} ") == nil)
        #expect(throws: WorkloadError.self) { try DiscretePMF(pythonDictLiteral: "{1: __import__('os')}") }
        var generator = SeededGenerator(seed: 1)
        let threes = (0..<40_000).filter { _ in pmf.sample(using: &generator) == 3 }.count
        #expect(abs(Double(threes) / 40_000 - 0.75) < 0.01)
    }
}
