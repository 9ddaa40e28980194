import Deployment
import MoECore
import Reports
import Simulation
import Testing

/// Every shipped scenario that the simulator runs, replayed in part (the first requests) so the suite stays
/// quick in a debug build: each must conserve its requests and give figures in their physical ranges.
@Suite struct ShippedScenarioTests {
    static let all = [
        "default.yaml", "deepseek-v3-h800-ep144.yaml", "deepseek-v3-h800-disaggregated.yaml",
        "deepseek-r1-cloudmatrix384.yaml", "qwen3-235b-h20.yaml", "mixtral-8x7b-h100.json",
        "llama-3.1-405b-h100.yaml", "qwen3-30b-a3b-h100-spot.yaml",
    ]

    @Test(arguments: all)
    func simulatesWithConservationAndSaneFigures(file: String) throws {
        var scenario = try shippedScenario(file)
        scenario.workload.limit = 400
        let run = try simulate(scenario)
        expectConservation(run)
        let report = run.report
        let metrics = report.metrics
        #expect(metrics.arrived == 400)
        #expect(metrics.completed > 300, "\(metrics.completed) of 400 completed")
        let ttft = try #require(metrics.ttft.median).seconds
        let tpot = try #require(metrics.tpot.median).seconds
        #expect(ttft > 0.001 && ttft < 60, "median TTFT \(ttft) s")
        #expect(tpot > 0.001 && tpot < 1, "median TPOT \(tpot) s")
        let means = try #require(report.utilizationMeans)
        #expect(means.mfu > 0 && means.mfu < 0.8, "MFU \(means.mfu)")
        #expect(means.hbmBandwidth > 0 && means.hbmBandwidth <= 1, "HBM \(means.hbmBandwidth)")
        #expect(means.kvUsage > 0 && means.kvUsage <= 1, "KV \(means.kvUsage)")
        #expect(means.busy > 0 && means.busy <= 1, "busy \(means.busy)")
        let cost = try #require(report.costSummary(.allocation))
        let usage = try #require(report.costSummary(.usage))
        #expect(cost.total.amount > 0 && usage.total.amount <= cost.total.amount * (1 + 1e-12))
        let output = try #require(cost.perMillionOutputTokens)
        #expect(output > 0.01 && output < 1_000, "$\(output) per million output tokens")
        let throughput = try #require(report.throughputPerNode)
        #expect(throughput.decodeOutput > 0)
    }
}
