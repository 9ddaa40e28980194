import Deployment
import MoECore
import Reports
import Simulation
import TestSupport
import Testing
import Workload

/// A shipped scenario, loaded.
func shippedScenario(_ name: String) throws -> Scenario {
    try Scenario.load(file: SharedData.packageFile("Simulations/\(name)"))
}

/// The outcome of a simulation together with every record it produced.
struct RecordedRun {
    var report: RunReport
    var records: [RequestRecord]
}

/// Simulates `scenario` and keeps every record.
func simulate(_ scenario: Scenario, seed: UInt64? = nil, router: RouterKind? = nil) throws -> RecordedRun {
    let simulation = try ClusterSimulation(plan: DeploymentPlan(scenario: scenario), seed: seed, router: router)
    var records: [RequestRecord] = []
    let report = try simulation.run(onRecord: { records.append($0) })
    return RecordedRun(report: report, records: records)
}

/// Checks that every arrival ended exactly once and that the report counts what the records say.
func expectConservation(_ run: RecordedRun, sourceLocation: SourceLocation = #_sourceLocation) {
    let metrics = run.report.metrics
    #expect(run.records.count == metrics.arrived, sourceLocation: sourceLocation)
    #expect(
        metrics.completed + metrics.rejected + metrics.failed + metrics.cancelled == metrics.arrived,
        sourceLocation: sourceLocation)
    #expect(
        Set(run.records.map(\.id)).count == run.records.count, "a request ended twice", sourceLocation: sourceLocation)
    let completed = run.records.filter { $0.outcome == .completed }
    #expect(completed.count == metrics.completed, sourceLocation: sourceLocation)
    #expect(completed.reduce(0) { $0 + $1.outputTokens } == metrics.outputTokens, sourceLocation: sourceLocation)
    for record in completed {
        guard let first = record.firstTokenAt, let scheduled = record.scheduledAt else {
            Issue.record("\(record.id) completed without a first token or a schedule", sourceLocation: sourceLocation)
            continue
        }
        #expect(
            record.arrival <= scheduled && scheduled < first && first <= record.endedAt,
            "\(record.id): arrival \(record.arrival), scheduled \(scheduled), first \(first), end \(record.endedAt)",
            sourceLocation: sourceLocation)
    }
}

/// A scenario written from `yaml` into a temporary folder; `{slice}` stands for the shipped Mooncake slice.
func scenario(yaml: String, in directory: TemporaryDirectory) throws -> Scenario {
    let text = yaml.replacingOccurrences(of: "{slice}", with: SharedDataPaths.mooncakeSlice)
    return try Scenario.load(file: directory.write("scenario.yaml", text))
}

/// The default scenario (four HGX H800 nodes, the Mooncake slice) with its two EP16 instances split into one
/// prefill and one decode instance on the same nodes, routed by DeepSeek's balancers.
func disaggregatedDefault() throws -> Scenario {
    var scenario = try shippedScenario("default.yaml")
    var prefill = scenario.deployment[0]
    prefill.role = .prefill
    prefill.count = 1
    var decode = prefill
    decode.role = .decode
    scenario.deployment = [prefill, decode]
    scenario.router = .prefillBalance
    scenario.decodeRouter = .decodeBalance
    return scenario
}
