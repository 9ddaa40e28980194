import Deployment
import MoECore
import Reports
import Scheduling
import Simulation
import TestSupport
import Testing
import Workload

/// The simulator takes decode steps in closed-form runs that arrivals cut short; a reference driver that
/// takes every step through `schedule` and `commit` must see exactly the same request lives.
@Suite struct EventSkippingTests {
    /// One Mixtral instance on two H100s under Poisson arrivals with the Azure slice's lengths.
    static func scenario(rate: Double, limit: Int) throws -> Scenario {
        var scenario = try shippedScenario("mixtral-8x7b-h100.json")
        scenario.deployment[0].count = 1
        scenario.workload.source = .generator(
            WorkloadGeneratorSpec(
                kind: .poisson, rate: rate, cv: nil, amplitude: nil, period: nil,
                lengths: .table(path: SharedDataPaths.azureSlice)))
        scenario.workload.limit = limit
        scenario.workload.duration = nil
        return scenario
    }

    /// Every request's first-token and end times from a driver without event skipping.
    static func referenceTimes(_ scenario: Scenario) throws -> [RequestID: (SimTime, SimTime)] {
        let plan = try DeploymentPlan(scenario: scenario)
        let instance = plan.instances[0]
        var scheduler = try instance.makeScheduler()
        var source = try ScenarioRequestSource(scenario.workload, seed: scenario.seed)
        var arrivals: [RequestSpec] = []
        while var request = try source.next() {
            request.ttftSLO = scenario.slo.ttft
            request.tpotSLO = scenario.slo.tpot
            arrivals.append(request)
        }
        var times: [RequestID: (SimTime, SimTime)] = [:]
        var firstTokens: [RequestID: SimTime] = [:]
        var next = 0
        var now = SimTime.zero
        func enqueue(until time: SimTime, inclusive: Bool) {
            while next < arrivals.count
                && (arrivals[next].arrival < time || inclusive && arrivals[next].arrival == time)
            {
                #expect(scheduler.enqueue(arrivals[next], now: arrivals[next].arrival) == .admitted)
                next += 1
            }
        }
        while true {
            enqueue(until: now, inclusive: true)
            guard let batch = scheduler.schedule(now: now) else {
                guard next < arrivals.count else { break }
                now = arrivals[next].arrival
                continue
            }
            let end = now + instance.stepDuration(of: batch).total
            enqueue(until: end, inclusive: false)
            for event in scheduler.commit(batch, now: end) {
                switch event {
                case .firstToken(let id, let time): firstTokens[id] = time
                case .finished(let id, let time, _): times[id] = (firstTokens[id]!, time)
                }
            }
            now = end
        }
        return times
    }

    @Test(arguments: [0.5, 4.0, 30.0])
    func decodeRunsCutByArrivalsMatchStepByStepSimulation(rate: Double) throws {
        let scenario = try Self.scenario(rate: rate, limit: 250)
        let run = try simulate(scenario)
        expectConservation(run)
        let reference = try Self.referenceTimes(scenario)
        #expect(reference.count == 250)
        for record in run.records {
            let (first, end) = try #require(reference[record.id])
            #expect(record.firstTokenAt == first, "\(record.id) first token")
            #expect(record.endedAt == end, "\(record.id) end")
        }
        let counters = run.report.counters
        #expect(counters["decode_runs", default: 0] > 0)
        #expect(counters["decode_runs_cut_by_arrivals", default: 0] > 0)
    }

    @Test func workGrowsWithRequestsNotWithDecodeSteps() throws {
        var scenario = try Self.scenario(rate: 2, limit: 60)
        scenario.workload.source = .generator(
            WorkloadGeneratorSpec(
                kind: .poisson, rate: 2, cv: nil, amplitude: nil, period: nil,
                lengths: .fixed(inputTokens: 200, outputTokens: 4_000)))
        let counters = try simulate(scenario).report.counters
        let steps = try #require(counters["steps"])
        let events = try #require(counters["events"])
        #expect(steps > 4_000)
        #expect(events * 10 < steps, "\(events) events for \(steps) steps")
    }
}

/// Shipped files the tests read.
enum SharedDataPaths {
    static let azureSlice = SharedData.packageFile("Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv")
    static let mooncakeSlice = SharedData.packageFile("Simulations/traces/mooncake_conversation_first10min.jsonl")
}
