import ArgumentParser
import Deployment
import Foundation
import MoECore
import Replay
import Reports
import Workload

/// `moeserve replay`: a trace's requests sent at their recorded times to an OpenAI-compatible server, measured
/// from the stream and reported in the JSON of `moeserve simulate`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a trace against an OpenAI-compatible server; report what it measured like simulate does.",
        discussion: """
            Each request is a streamed POST /v1/completions with the trace's prompt
            length (as token ids) and output length (max_tokens, ignore_eos); TTFT,
            TPOT, ITL and E2EL are measured from the server-sent events. The report
            has the keys of moeserve simulate --json, so a prediction and a
            measurement diff key by key. --scenario (default
            Simulations/default.yaml) names what is compared: its seed, objectives
            and deployment. Against moeserve serve --time-factor X pass the same
            --time-factor X: requests go out X times as fast and every time is
            divided back by X. See Docs/Server.md.

            Examples:
              moeserve replay --url http://127.0.0.1:8000 --json measured.json \\
                  --trace Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv
              moeserve replay --trace T.csv --url http://127.0.0.1:8000 \\
                  --time-factor 0.25 --rate-scale 2
            """)

    @Option(help: "The trace to replay: Azure CSV, Mooncake JSONL, Vidur CSV or a ServeGen folder (detected).")
    var trace: String
    @Option(help: "The server, such as http://127.0.0.1:8000 (a trailing /v1 is accepted).") var url: String
    @Option(help: "The scenario compared with (seed, objectives, deployment); default: Simulations/default.yaml.")
    var scenario: String?
    @Option(help: "Multiplies the arrival rate (2 doubles the load), as moeserve simulate --rate-scale does.")
    var rateScale: Double?
    @Option(help: "Wall seconds per trace second: the server's --time-factor (1 for a real server).")
    var timeFactor = 1.0
    @Option(help: "The model id to send (default: the first one the server lists at /v1/models).") var model: String?
    @Option(help: "Seed of the trace's random draws (default: the scenario's).") var seed: UInt64?
    @Option(help: "Write the JSON report (the keys of moeserve simulate --json) to this file.") var json: String?
    @Flag(help: "Skip malformed trace rows, counting them, instead of stopping at the first.") var skipBadRows = false

    func validate() throws {
        guard timeFactor.isFinite, timeFactor > 0 else {
            throw ValidationError("--time-factor \(timeFactor): expected a finite number > 0")
        }
        if let rateScale, !(rateScale.isFinite && rateScale > 0) {
            throw ValidationError("--rate-scale \(rateScale): expected a finite number > 0")
        }
    }

    func run() async throws {
        let path = try scenario ?? shippedFile("Simulations/default.yaml", option: "--scenario")
        var scenario = try reportingInputErrors { try Scenario.load(file: path) }
        scenario.applyWorkloadOptions(trace: trace, rateScale: rateScale)
        let seed = seed ?? scenario.seed
        let plan = try reportingInputErrors { try DeploymentPlan(scenario: scenario) }
        var source = try reportingInputErrors {
            try ScenarioRequestSource(
                scenario.workload, seed: seed, options: TraceReaderOptions(skipBadRows: skipBadRows))
        }
        let result: ReplayResult
        do {
            let endpoint = try ServerEndpoint(url: url)
            var served = model ?? ""
            if model == nil { served = try await TraceReplay.servedModel(at: endpoint) }
            result = try await TraceReplay(endpoint: endpoint, model: served, timeFactor: timeFactor)
                .run(&source, objectives: scenario.slo)
        } catch let error as ReplayError {
            throw inputError(error)
        } catch let error as WorkloadError {
            throw inputError(error)
        }
        if source.skippedRows > 0 { printError("warning: skipped \(source.skippedRows) malformed trace rows") }
        var context = RunReport.Context(plan: plan, seed: seed)
        context.router = "server"
        let report = RunReport(context: context, metrics: result.metrics, rejectionsByReason: result.rejectionsByReason)
        print(report.summaryText())
        if let json {
            do {
                try report.jsonData().write(to: URL(fileURLWithPath: json))
            } catch {
                throw inputError("cannot write \(json): \(error.localizedDescription)")
            }
        }
    }
}
