import Foundation
import MoECore
import TestSupport
import Testing
import Topology

@testable import PerfModel

@Suite struct StepTimeModelTests {
    static func deepSeek(
        device: DeviceSpec = Catalog.h800, devices: Int, redundant: Int = 0, microBatches: Int = 2,
        mtp: Double? = nil, load: ExpertLoadMatrix? = nil
    ) throws -> InstanceConfiguration {
        InstanceConfiguration(
            model: Catalog.deepSeekV3, topology: try ClusterTopology.smallest(holding: devices, of: device),
            devices: devices, redundantExperts: redundant, microBatches: microBatches, mtpAcceptance: mtp,
            expertLoad: load)
    }

    /// The measured DeepSeek-V3 expert loads shipped with the package.
    static let expertLoads = SharedData.packageRoot.appendingPathComponent("Simulations/expert-loads")

    @Test func weightsThatDoNotFitAreAnErrorSayingByHowMuch() throws {
        let configuration = try Self.deepSeek(devices: 8)
        #expect(throws: PerfModelError.self) { try StepTimeModel(configuration) }
        do {
            _ = try StepTimeModel(configuration)
        } catch let error as PerfModelError {
            guard case .doesNotFit(let needed, let available, _) = error else {
                Issue.record("expected doesNotFit, got \(error)")
                return
            }
            #expect(needed > available)
            #expect(error.description.contains("\(needed - available) short"))
            #expect(error.description.contains("80.0 GB"))
        }
    }

    @Test func memoryBudgetLeavesTheRestForKVCache() throws {
        let model = try StepTimeModel(Self.deepSeek(devices: 144, redundant: 32))
        let memory = model.memory
        #expect(memory.weightBytesPerDevice + memory.activationReserve + memory.kvBytesPerDevice == Catalog.h800.memory)
        #expect(memory.kvCapacityTokensPerDevice == Int(Double(memory.kvBytesPerDevice.count) / 70_272))
        #expect(memory.kvCapacityTokensPerInstance == memory.kvCapacityTokensPerDevice * 144)
        #expect(model.configuration.slotsPerDevice == 2)  // DeepSeek's decode: 2 routed experts per GPU
    }

    @Test func gqaKVCacheIsSplitOverTensorParallelRanksUpToTheKVHeads() throws {
        let topology = try ClusterTopology.smallest(holding: 16, of: Catalog.h100)
        let memory = try StepTimeModel(
            InstanceConfiguration(model: Catalog.llama31_405B, topology: topology, devices: 16, attentionTP: 16)
        ).memory
        #expect(memory.kvBytesPerToken == Double(516_096 / 8))  // 8 KV heads: TP16 splits them 8 ways
    }

    @Test func busiestDeviceOfRandomRoutingExceedsTheMeanMostAtSmallBatches() throws {
        let model = try StepTimeModel(Self.deepSeek(devices: 144, redundant: 32))
        let share = 1.0 / 144
        var previousExcess = Double.infinity
        for tokens in [16.0, 256, 4096, 65536] {
            let copies = tokens * 8
            let maximum = model.imbalance.expectedMaximumCopies(tokens: tokens, copies: copies, share: share)
            let excess = maximum / (copies * share)
            #expect(excess > 1, "\(tokens) tokens: max \(maximum) vs mean \(copies * share)")
            #expect(excess < previousExcess)
            previousExcess = excess
        }
    }

    @Test func twoMicroBatchesHideCommunication() throws {
        let batch = BatchShape.decode(sequences: 256 * 72, context: 2048)
        let one = try StepTimeModel(Self.deepSeek(device: Catalog.h100, devices: 72, redundant: 32, microBatches: 1))
            .stepTime(batch)
        let two = try StepTimeModel(Self.deepSeek(device: Catalog.h100, devices: 72, redundant: 32, microBatches: 2))
            .stepTime(batch)
        #expect(two.total < one.total)
        let exposedOne = one.breakdown.dispatch + one.breakdown.combine
        let exposedTwo = two.breakdown.dispatch + two.breakdown.combine
        #expect(exposedTwo.seconds < 0.5 * exposedOne.seconds)
    }

    @Test func mtpRaisesDecodeTokensPerStepAndThroughput() throws {
        let batch = BatchShape.decode(sequences: 128 * 128, context: 4096)
        let plain = try StepTimeModel(Self.deepSeek(devices: 128)).stepTime(batch)
        let mtp = try StepTimeModel(Self.deepSeek(devices: 128, mtp: 0.8)).stepTime(batch)
        #expect(plain.tokensGenerated == 128 * 128)
        #expect(abs(mtp.tokensGenerated - 1.8 * 128 * 128) < 1e-6)
        #expect(mtp.total > plain.total)
        #expect(mtp.tokensGenerated / mtp.total.seconds > plain.tokensGenerated / plain.total.seconds)
    }

    @Test func breakdownSumsToTheStepAndRepeatsExactly() throws {
        let model = try StepTimeModel(Self.deepSeek(devices: 32, redundant: 32))
        let batch = BatchShape(
            prefillTokens: 8192 * 32, prefillAttentionContextProduct: 8192 * 32 * 3000, decodeSequences: 64 * 32,
            decodeContextTokens: 64 * 32 * 2000)
        let step = model.stepTime(batch)
        #expect(step.breakdown.total == step.total)
        #expect(step.total > .zero)
        #expect(model.stepTime(batch) == step)
        #expect(step.mfu > 0 && step.mfu < 1)
        #expect(step.hbmBandwidthUtilization > 0 && step.hbmBandwidthUtilization < 1)
        #expect(step.linkUtilization > 0 && step.linkUtilization <= 1)
    }

    @Test func aPreparedStepPricesAnyDecodeContextExactlyAsAFullEvaluation() throws {
        let model = try StepTimeModel(Self.deepSeek(devices: 16, redundant: 16, mtp: 0.85))
        for (prefill, sequences) in [(0.0, 512.0), (4096, 300), (16384, 0)] {
            let prepared = model.prepared(
                BatchShape(
                    prefillTokens: prefill, prefillAttentionContextProduct: prefill * 1500, decodeSequences: sequences,
                    decodeContextTokens: 123_456))  // ignored: the context is given at the end
            for context in [0.0, 1e5, 3.7e6, 2.2e7] {
                let batch = BatchShape(
                    prefillTokens: prefill, prefillAttentionContextProduct: prefill * 1500, decodeSequences: sequences,
                    decodeContextTokens: context)
                #expect(prepared.stepTime(decodeContextTokens: context) == model.stepTime(batch))
            }
        }
    }

    @Test func emptyBatchTakesNoTime() throws {
        let step = try StepTimeModel(Self.deepSeek(devices: 32)).stepTime(BatchShape())
        #expect(step.total == .zero)
        #expect(step.tokensGenerated == 0)
    }

    @Test func prefillAttentionGrowsQuadraticallyWithContext() throws {
        let model = try StepTimeModel(Self.deepSeek(devices: 32))
        let short = model.stepTime(.prefill(prompts: 32 * 8, promptTokens: 2048)).breakdown.attention
        let long = model.stepTime(.prefill(prompts: 32 * 4, promptTokens: 4096)).breakdown.attention
        // Same tokens; the attention kernel's work doubles, the projections' does not.
        #expect(long > short)
        #expect(long.seconds < 2 * short.seconds)
        let cachedPrefix = model.stepTime(.prefill(prompts: 32 * 4, promptTokens: 8192, cachedTokens: 4096))
        #expect(cachedPrefix.breakdown.attention > long)
    }

    @Test func measuredExpertLoadSlowsTheStepAgainstBalancedRouting() throws {
        let load = try ExpertLoadFile.read(
            path: Self.expertLoads.appendingPathComponent("decode_in2000out100.json").path, model: Catalog.deepSeekV3)
        #expect(load.layers == 58 && load.experts == 256)
        let batch = BatchShape.decode(sequences: 128 * 64, context: 2048)
        let balanced = try StepTimeModel(Self.deepSeek(devices: 64)).stepTime(batch)
        let measured = try StepTimeModel(Self.deepSeek(devices: 64, load: load))
        #expect(measured.imbalance.meanMaxDeviceShare > 2.0 / 64)
        #expect(measured.stepTime(batch).breakdown.moe > balanced.breakdown.moe)
    }

    @Test func expertLoadFileErrorsNameTheFileAndTheProblem() throws {
        let model = Catalog.deepSeekV3
        #expect(throws: PerfModelError.invalidExpertLoad("x.json: expected an object with the key \"logical_count\"")) {
            try ExpertLoadFile.parse(Data(#"{"counts": []}"#.utf8), source: "x.json", model: model)
        }
        #expect(
            throws: PerfModelError.invalidExpertLoad(
                "x.json: \"logical_count\"[0][1] is not a number (expected arrays of numbers)")
        ) {
            try ExpertLoadFile.parse(Data(#"{"logical_count": [[1, "a"]]}"#.utf8), source: "x.json", model: model)
        }
        #expect(throws: PerfModelError.self) {
            try ExpertLoadFile.parse(Data(#"{"logical_count": [[1, 2]]}"#.utf8), source: "x.json", model: model)
        }
        #expect(throws: PerfModelError.self) { try ExpertLoadFile.read(path: "/nonexistent.json", model: model) }
    }

    @Test func inconsistentConfigurationIsRejectedWithTheFieldNamed() throws {
        var configuration = try Self.deepSeek(devices: 32)
        configuration.attentionDP = 3
        #expect(
            throws: PerfModelError.invalidConfiguration("attentionDP (3) x attentionTP (1) must equal devices (32)")
        ) {
            try StepTimeModel(configuration)
        }
        configuration = try Self.deepSeek(devices: 32)
        configuration.microBatches = 3
        #expect(throws: PerfModelError.self) { try StepTimeModel(configuration) }
    }

    @Test func denseAndGQAModelsHaveNoExpertTraffic() throws {
        let topology = try ClusterTopology.smallest(holding: 8, of: Catalog.h100)
        let llama = InstanceConfiguration(
            model: Catalog.llama31_70B, topology: topology, devices: 8, attentionTP: 8)
        let step = try StepTimeModel(llama).stepTime(.decode(sequences: 64, context: 4096))
        #expect(step.breakdown.moe == .zero && step.breakdown.dispatch == .zero)
        #expect(step.breakdown.dense > .zero && step.breakdown.attention > .zero)
        let qwen = InstanceConfiguration(model: Catalog.qwen3_235B, topology: topology, devices: 8, weightFormat: .fp8)
        let qwenStep = try StepTimeModel(qwen).stepTime(.decode(sequences: 8 * 64, context: 4096))
        #expect(qwenStep.breakdown.moe > .zero && qwenStep.breakdown.total == qwenStep.total)
    }

    @Test func moeLayerTimeForThePlannerGrowsWithTheBusiestDevice() throws {
        let model = try StepTimeModel(Self.deepSeek(devices: 32, redundant: 32))
        let even = model.moeLayerTime(deviceTokenLoads: Array(repeating: 4096, count: 32), lowLatency: false)
        var skewed = Array(repeating: 4096.0 * 31 / 32, count: 32)
        skewed[0] = 4096 * 2
        let hot = model.moeLayerTime(deviceTokenLoads: skewed, lowLatency: false)
        #expect(hot.experts > even.experts)
        #expect(hot.dispatch > even.dispatch)
        #expect(hot.total > even.total)
    }
}
