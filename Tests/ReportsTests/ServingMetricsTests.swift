import MoECore
import Reports
import Testing

@Suite struct ServingMetricsTests {
    static func completed(
        _ id: UInt64, arrival: Double, firstToken: Double, end: Double, prompt: Int = 100, cached: Int = 0,
        output: Int = 11
    ) -> RequestRecord {
        RequestRecord(
            id: RequestID(id), arrival: .seconds(arrival), promptTokens: prompt, cachedPromptTokens: cached,
            outputTokens: output, scheduledAt: .seconds(arrival + 0.01), firstTokenAt: .seconds(firstToken),
            endedAt: .seconds(end), outcome: .completed, instance: 0)
    }

    @Test func tokensAndLatenciesCountCompletedRequestsOnly() throws {
        var slo = ScenarioSLO()
        slo.ttft = .milliseconds(600)
        slo.tpot = .milliseconds(50)
        var metrics = ServingMetrics(objectives: slo)
        metrics.record(Self.completed(0, arrival: 0, firstToken: 0.5, end: 1.0, cached: 64))  // TPOT 50 ms: good
        metrics.record(Self.completed(1, arrival: 1, firstToken: 1.2, end: 2.2))  // TPOT 100 ms: misses
        metrics.record(
            RequestRecord(
                id: RequestID(2), arrival: .seconds(2), promptTokens: 5000, outputTokens: 0, firstTokenAt: nil,
                endedAt: .seconds(2), outcome: .rejected(reason: "waiting queue full (1 requests)"), instance: 0))
        metrics.record(
            RequestRecord(
                id: RequestID(3), arrival: .seconds(3), promptTokens: 70, outputTokens: 1, firstTokenAt: .seconds(3.1),
                endedAt: .seconds(4), outcome: .failed(reason: "node lost"), instance: 1))
        #expect(metrics.arrived == 4)
        #expect(metrics.completed == 2 && metrics.rejected == 1 && metrics.failed == 1)
        #expect(metrics.inputTokens == 200 && metrics.cachedInputTokens == 64 && metrics.outputTokens == 22)
        #expect(metrics.good == 1)
        #expect(metrics.ttft.count == 2 && metrics.tpot.count == 2 && metrics.e2el.count == 2)
        #expect(metrics.ttft.mean == .milliseconds(350))
        #expect(metrics.tpot.percentile(100) == .milliseconds(100))
        #expect(metrics.queueTime.mean == .milliseconds(10))
        #expect(metrics.duration == .seconds(4))  // from the clock's origin to the last end
    }

    @Test func interTokenGapsAreRecordedWithTheirCounts() {
        var metrics = ServingMetrics(objectives: ScenarioSLO())
        metrics.recordInterTokenGaps(.milliseconds(20), count: 30)
        metrics.recordInterTokenGaps(.milliseconds(80), count: 10)
        #expect(metrics.itl.count == 40)
        #expect(metrics.itl.mean == .milliseconds(35))
        #expect(!metrics.hasObjectives)
    }
}
