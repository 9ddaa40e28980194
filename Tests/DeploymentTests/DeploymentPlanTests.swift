import Deployment
import Foundation
import MoECore
import PerfModel
import Scheduling
import TestSupport
import Testing

@Suite struct DeploymentPlanTests {
    static func scenario(_ name: String = "default.yaml") throws -> Scenario {
        try Scenario.load(file: SharedData.packageFile("Simulations/\(name)"))
    }

    @Test func instancesTakeConsecutiveDevicesGroupByGroup() throws {
        let plan = try DeploymentPlan(scenario: Self.scenario("deepseek-v3-h800-disaggregated.yaml"))
        #expect(plan.instances.map(\.role) == [.prefill, .prefill, .prefill, .decode])
        #expect(plan.instances.map(\.deviceOffset) == [0, 32, 64, 96])
        #expect(plan.instances.map(\.name) == ["prefill-0", "prefill-1", "prefill-2", "decode-0"])
        #expect(plan.deployedDevices == 240)
        #expect(plan.instances[3].deviceIDs.last?.index == 239)
        #expect(plan.instances[3].stepTimeModel.configuration.deviceOffset == 96)
    }

    @Test func weightsThatDoNotFitNameTheInstanceGroupAndTheShortfall() throws {
        // 256 FP8 experts over 8 GPUs: 32 per GPU x 58 layers is about 82 GB, more than an H800 holds.
        let directory = try TemporaryDirectory()
        let text = try String(contentsOfFile: SharedData.packageFile("Simulations/default.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "devices_per_instance: 16", with: "devices_per_instance: 8")
            .replacingOccurrences(of: "attention_dp: 16", with: "attention_dp: 8")
            .replacingOccurrences(of: "ep: 16", with: "ep: 8")
            .replacingOccurrences(of: "redundant_experts: 16", with: "redundant_experts: 0")
            .replacingOccurrences(of: "traces/", with: SharedData.packageFile("Simulations/traces") + "/")
        let scenario = try Scenario.load(file: try directory.write("small.yaml", text))
        #expect {
            try DeploymentPlan(scenario: scenario)
        } throws: { error in
            guard let error = error as? InputFileError else { return false }
            return error.keyPath == "deployment.instances[0]" && error.line == scenario.deployment[0].sourceLine
                && error.message.contains("short") && error.file.hasSuffix("small.yaml")
        }
    }

    @Test func schedulerLimitsArePerDataParallelRankAndTheCacheComesFromTheMemoryBudget() throws {
        let scenario = try Self.scenario()
        let instance = try #require(DeploymentPlan(scenario: scenario).instances.first)
        let configuration = instance.schedulerConfiguration
        #expect(configuration.maxNumBatchedTokens == scenario.scheduler.maxNumBatchedTokens * 16)
        #expect(configuration.maxNumSeqs == scenario.scheduler.maxNumSeqs * 16)
        #expect(configuration.longPrefillTokenThreshold == scenario.scheduler.longPrefillThreshold)
        #expect(configuration.blockSize == 64)
        let budget = instance.stepTimeModel.memory
        #expect(instance.kvCacheConfiguration.totalBlocks == budget.kvCapacityTokensPerInstance / 64)
        #expect(instance.kvCacheConfiguration.bytesPerToken == scenario.model.kvBytesPerToken(format: .bf16))
        #expect(instance.pricePerHour == Dollars(2.00 * 16))
        _ = try instance.makeScheduler()
    }

    @Test func sloAdmissionControlPredictsFromTheInstancesPrefillRate() throws {
        let plan = try DeploymentPlan(scenario: Self.scenario("deepseek-v3-h800-disaggregated.yaml"))
        let rate = try #require(plan.instances[0].schedulerConfiguration.predictedPrefillTokensPerSecond)
        // DeepSeek's profile: about 16K prefill tokens per H800 in roughly a second and a half or less
        // (calibration section 5); 32 devices make several hundred thousand tokens per second.
        #expect(rate > 32 * 5_000 && rate < 32 * 40_000)
        let colocated = try DeploymentPlan(scenario: Self.scenario())
        #expect(colocated.instances[0].schedulerConfiguration.predictedPrefillTokensPerSecond == nil)
    }

    @Test func aDecodeRunCostsExactlyWhatItsStepsCostOneByOne() throws {
        let instance = try #require(DeploymentPlan(scenario: Self.scenario()).instances.first)
        var scheduler = try instance.makeScheduler()
        for id in 0..<64 {
            let request = RequestSpec(
                id: RequestID(UInt64(id)), arrival: .zero, promptTokens: 300 + 17 * id, outputTokens: 400)
            #expect(scheduler.enqueue(request, now: .zero) == .admitted)
        }
        var now = SimTime.zero
        // Prefill until every request decodes.
        while scheduler.decodeStepsUntilChange() == 0 {
            let scheduledBatch = scheduler.schedule(now: now)
            let batch = try #require(scheduledBatch)
            now += instance.stepDuration(of: batch).total
            _ = scheduler.commit(batch, now: now)
        }
        var single = scheduler
        let steps = min(scheduler.decodeStepsUntilChange(), 250)
        var oneByOne = SimDuration.zero
        for _ in 0..<steps {
            let scheduledBatch = single.schedule(now: now + oneByOne)
            let batch = try #require(scheduledBatch)
            #expect(batch.prefillTokens == 0)
            oneByOne += instance.stepDuration(of: batch).total
            _ = single.commit(batch, now: now + oneByOne)
        }
        let run = scheduler.advanceDecode(steps: steps, now: now + oneByOne)
        #expect(instance.duration(of: run) == oneByOne)
        #expect(oneByOne > .zero)
    }

    @Test func multiTokenPredictionChargesDecodeStepsPerExpectedToken() throws {
        let instance = try #require(DeploymentPlan(scenario: Self.scenario()).instances.first)
        let configuration = instance.stepTimeModel.configuration
        let perStep = configuration.expectedTokensPerDecodeStep
        #expect(abs(perStep - 1.85) < 1e-9)  // one MTP layer accepted 85% of the time
        var scheduler = try instance.makeScheduler()
        _ = scheduler.enqueue(
            RequestSpec(id: RequestID(0), arrival: .zero, promptTokens: 64, outputTokens: 8), now: .zero)
        let scheduledPrefill = scheduler.schedule(now: .zero)
        let prefill = try #require(scheduledPrefill)
        let prefillDuration = instance.stepDuration(of: prefill)
        #expect(prefillDuration.total == prefillDuration.model.total)  // prefill work keeps its full time
        _ = scheduler.commit(prefill, now: prefillDuration.total.asTime)
        let scheduledDecode = scheduler.schedule(now: prefillDuration.total.asTime)
        let decode = try #require(scheduledDecode)
        let decodeDuration = instance.stepDuration(of: decode)
        #expect(abs(decodeDuration.total.seconds * perStep - decodeDuration.model.total.seconds) < 1e-8)
    }
}

extension SimDuration {
    fileprivate var asTime: SimTime { SimTime(nanosecondsSinceStart: nanoseconds) }
}
