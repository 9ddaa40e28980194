import Deployment
import MoECore
import Reports
import Simulation
import Testing

@Suite struct OverloadTests {
    @Test func aFullQueueRejectsWithItsReasonAndLosesNothing() throws {
        var scenario = try shippedScenario("mixtral-8x7b-h100.json")
        scenario.scheduler.maxWaiting = 2
        scenario.workload.rateScale = 40
        scenario.workload.limit = 1_500
        let run = try simulate(scenario)
        expectConservation(run)
        let metrics = run.report.metrics
        #expect(metrics.rejected > 0)
        #expect(run.report.rejectionsByReason == ["queue_full": metrics.rejected])
        let rejected = run.records.filter { $0.outcome != .completed }
        #expect(rejected.allSatisfy { $0.outcome == .rejected(reason: "waiting queue full (2 requests)") })
        #expect(rejected.allSatisfy { $0.endedAt == $0.arrival && $0.firstTokenAt == nil })
    }

    @Test func sloAdmissionControlRejectsRequestsPredictedToMissTheirTTFT() throws {
        var scenario = try shippedScenario("llama-3.1-405b-h100.yaml")
        scenario.scheduler.admissionControl = .slo
        scenario.workload.rateScale = 30
        scenario.workload.limit = 800
        let run = try simulate(scenario)
        expectConservation(run)
        #expect(run.report.rejectionsByReason["predicted_ttft_exceeds_slo", default: 0] > 0)
        #expect(run.report.metrics.completed > 0)
    }

    @Test func requestsThatCanNeverFitAreRejectedNotLost() throws {
        var scenario = try shippedScenario("mixtral-8x7b-h100.json")
        scenario.workload.source = .generator(
            WorkloadGeneratorSpec(kind: .poisson, rate: 1, lengths: .fixed(inputTokens: 4_000_000, outputTokens: 10)))
        scenario.workload.limit = 5
        let run = try simulate(scenario)
        expectConservation(run)
        #expect(run.report.rejectionsByReason == ["exceeds_kv_capacity": 5])
    }
}
