import ArgumentParser
import Deployment
import Foundation
import MoECore
import Reports
import Simulation
import Workload

/// `moeserve simulate`: replays a scenario's workload (or a trace) through its simulated cluster and
/// reports what `vllm bench serve` would have measured, with utilization and cost per token.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a workload through a simulated cluster; report latency, utilization and cost per token.",
        discussion: """
            Without --scenario, the shipped Simulations/default.yaml is used (DeepSeek-V3 on four HGX H800
            nodes replaying ten minutes of Mooncake's conversation trace). The summary goes to standard
            output; --json writes the vllm bench serve style report, --csv the time series, --html one
            self-contained page of charts. Bad input exits with code 2 and names the file, line or key.

            Examples:
              moeserve simulate
              moeserve simulate --scenario Simulations/qwen3-235b-h20.yaml --json out.json --csv series/
              moeserve simulate --scenario Simulations/deepseek-v3-h800-disaggregated.yaml --html report.html
              moeserve simulate --trace Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv
            """)

    @Option(help: "The scenario file (YAML or JSON); default: Simulations/default.yaml.") var scenario: String?
    @Option(
        help:
            "A trace replacing the scenario's whole workload: Azure CSV, Mooncake JSONL, Vidur CSV or a ServeGen folder (detected)."
    )
    var trace: String?
    @Option(help: "Seed of every random draw (default: the scenario's).") var seed: UInt64?
    @Option(
        help:
            "Router of arrivals (colocated or prefill instances): \(RouterKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: the scenario's)."
    )
    var router: RouterKind?
    @Option(help: "Router of prefilled requests to decode instances (default: the scenario's decode_router).")
    var decodeRouter: RouterKind?
    @Option(help: "Multiplies the arrival rate (2 doubles the load), as moeserve replay --rate-scale does.")
    var rateScale: Double?
    @Option(help: "Write the JSON report (vllm bench serve key names) to this file.") var json: String?
    @Option(
        help: "Write per-instance, per-device and node-count time series (instances.csv, devices.csv, nodes.csv) here.")
    var csv: String?
    @Option(help: "Write one self-contained HTML page of charts (latency CDFs, utilization, nodes, cost) here.")
    var html: String?
    @Flag(help: "Skip malformed trace rows, counting them, instead of stopping at the first.") var skipBadRows = false

    func run() throws {
        let path = try scenario ?? shippedFile("Simulations/default.yaml", option: "--scenario")
        var scenario = try reportingInputErrors { try Scenario.load(file: path) }
        scenario.applyWorkloadOptions(trace: trace, rateScale: rateScale)
        let plan = try reportingInputErrors { try DeploymentPlan(scenario: scenario) }
        if decodeRouter != nil, !scenario.isDisaggregated {
            throw inputError("--decode-router needs a scenario with prefill and decode instances")
        }
        let simulation = try reportingInputErrors {
            try ClusterSimulation(plan: plan, seed: seed, router: router, decodeRouter: decodeRouter)
        }
        let bar = ProgressBar()
        let report = try reportingInputErrors {
            try simulation.run(traceOptions: TraceReaderOptions(skipBadRows: skipBadRows), progress: bar.show)
        }
        bar.clear()
        let skipped = report.counters["skipped_trace_rows"] ?? 0
        if skipped > 0 { printError("warning: skipped \(skipped) malformed trace rows") }
        print(report.summaryText())
        if let json { try write(report.jsonData(), to: json) }
        if let html { try write(Data(report.htmlPage().render().utf8), to: html) }
        if let csv, let series = report.utilization {
            do {
                try TimeSeriesCSV.write(series, to: csv)
                if let capacity = report.cost?.capacity { try TimeSeriesCSV.writeNodes(capacity, to: csv) }
            } catch {
                throw inputError("cannot write the time series into \(csv): \(error.localizedDescription)")
            }
        }
    }

    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw inputError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

extension RouterKind: ExpressibleByArgument {}
