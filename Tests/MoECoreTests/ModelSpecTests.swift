import MoECore
import Testing

@Suite struct ModelSpecTests {
    @Test(arguments: Catalog.builtinModels)
    func derivedParameterCountsMatchPublishedOnesWithinTwoPercent(model: ModelSpec) throws {
        let publishedTotal = try #require(model.publishedTotalParameters)
        let publishedActive = try #require(model.publishedActiveParameters)
        #expect(abs(model.totalParameters / publishedTotal - 1) < 0.02, "\(model.key) total \(model.totalParameters)")
        #expect(
            abs(model.activeParameters / publishedActive - 1) < 0.02, "\(model.key) active \(model.activeParameters)")
    }

    @Test func deepSeekV3CachesExactlySeventyThousandBytesPerTokenInBF16() {
        #expect(Catalog.deepSeekV3.kvBytesPerToken(format: .bf16) == Bytes(70_272))
        #expect(Catalog.deepSeekV3.kvBytesPerToken(format: .fp8) == Bytes(35_136))
    }

    @Test func llama405BCachesGQAHeadsPerToken() {
        // ISCA'25 table: 516.1 KB per token in BF16 (126 layers x 2 x 8 KV heads x 128 x 2 B).
        #expect(Catalog.llama31_405B.kvBytesPerToken(format: .bf16) == Bytes(516_096))
    }

    @Test func moeLayersExcludeTheLeadingDenseLayers() {
        #expect(Catalog.deepSeekV3.moeLayers == 58)
        #expect(Catalog.llama31_70B.moeLayers == 0)
        #expect(Catalog.qwen3_235B.moeLayers == 94)
    }

    @Test func flopsPerTokenGrowWithContext() {
        let model = Catalog.deepSeekV3
        #expect(model.flopsPerToken(context: 4096) > model.flopsPerToken(context: 0))
        // About 2 x active parameters without the embedding lookup.
        #expect(abs(model.weightFLOPsPerToken.count / (2 * 36.5e9) - 1) < 0.03)
    }
}
