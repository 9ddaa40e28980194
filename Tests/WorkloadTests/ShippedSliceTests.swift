import Foundation
import MoECore
import Testing

@testable import Workload

/// The trace slices in Simulations/traces ship with the package, so these tests always run.
@Suite struct ShippedSliceTests {
    @Test func theMooncakeSliceHoldsTheFirstTenMinutes() throws {
        let path = TraceFixtures.shipped("mooncake_conversation_first10min.jsonl")
        #expect(try TraceFormat.detect(path: path) == .mooncake)
        var reader = try MooncakeTraceReader(path: path)
        let requests = try TraceFixtures.drain(&reader)
        let totals = Totals(requests)
        // ATTRIBUTION.md: 1,750 requests, 24,486,514 input and 619,615 output tokens, 48,671 hash ids.
        #expect(totals.count == 1_750)
        #expect(totals.promptTokens == 24_486_514)
        #expect(totals.outputTokens == 619_615)
        #expect(totals.prefixBlocks == 48_671)
        #expect(requests.last!.arrival < .seconds(600))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size <= 500_000)
    }

    @Test func theAzureSliceHoldsTheFirstTenMinutes() throws {
        let path = TraceFixtures.shipped("AzureLLMInferenceTrace_conv_first10min.csv")
        var reader = try AzureTraceReader(path: path)
        let requests = try TraceFixtures.drain(&reader)
        let totals = Totals(requests)
        // ATTRIBUTION.md: 2,867 requests, 3,287,402 input and 746,194 output tokens.
        #expect(totals.count == 2_867)
        #expect(totals.promptTokens == 3_287_402)
        #expect(totals.outputTokens == 746_194)
        #expect(requests.last!.arrival < .seconds(600))
    }

    @Test func theSlicesAreAttributed() throws {
        let text = try String(contentsOfFile: TraceFixtures.shipped("ATTRIBUTION.md"), encoding: .utf8)
        for fact in [
            "https://github.com/kvcache-ai/Mooncake", "3cca71daccf2a7afb8fe3f0295358f70e3a69fdb", "Apache-2.0",
            "https://github.com/Azure/AzurePublicDataset", "790921015d50dd6aae7f7e47f39ba0e235ad6b08", "CC-BY 4.0",
            "Splitwise",
        ] {
            #expect(text.contains(fact), "ATTRIBUTION.md should mention \(fact)")
        }
    }
}
