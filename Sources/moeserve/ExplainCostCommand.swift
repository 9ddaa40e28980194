import ArgumentParser
import Foundation
import MoECore
import Tuning

/// `moeserve explain-cost`: the cost waterfall from a dense baseline to a DeepSeek-style deployment, one
/// lever at a time, each step simulated on the same workload at the same SLO and sized to the fewest nodes
/// that meet it.
struct ExplainCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain-cost",
        abstract: "Show where the cost per token comes from: a waterfall of levers, each step simulated.",
        discussion: """
            The levers file (default Simulations/tuning/cost-levers.yaml) holds the baseline scenario (Llama-3.1-405B
            in BF16 on H100, small static batches, no prefix cache), the levers as scenario transformations
            with the source of each setting, and the paths: to DeepSeek-V3 on H800 and to Ascend 910C. Each
            step is capacity-planned (the fewest nodes reaching --min-attainment) and priced on the allocation
            basis. --json writes {paths: [{path, steps: [{lever, usd_per_million_output_tokens,
            usd_per_million_input_tokens, nodes, slo_attainment, ...}]}]}. See Docs/Tuning.md.
            """)

    @Option(help: "The levers file; default: Simulations/tuning/cost-levers.yaml.") var levers: String?
    @Option(help: "Only this path (repeatable); default: every path of the file.") var path: [String] = []
    @Option(help: "Objectives replacing the baseline's, such as ttft=2s,tpot=50ms.") var slo: String?
    @Option(help: "SLO attainment each step is sized to (default: the levers file's min_attainment, else 0.9).")
    var minAttainment: Double?
    @Option(help: "Largest cluster a step may grow to.") var maxNodes = TuningReport.waterfallMaximumNodes
    @Option(help: "Write the waterfall as JSON to this file ('-' for standard output).") var json: String?
    @Option(help: "Write the waterfall charts as a self-contained HTML page.") var html: String?

    func run() throws {
        try reportingInputErrors {
            if let minAttainment, !(0...1).contains(minAttainment) {
                throw TuningError.invalidOption(option: "--min-attainment", reason: "expected a number from 0 to 1")
            }
            guard maxNodes > 0 else { throw TuningError.invalidOption(option: "--max-nodes", reason: "expected > 0") }
            var file = try CostLevers.load(
                file: levers ?? shippedFile("Simulations/tuning/cost-levers.yaml", option: "--levers"))
            file.template.slo = try slo.map(ServiceObjectives.parse)
            let base = try file.template.scenario([])
            guard base.slo.ttft != nil || base.slo.tpot != nil else {
                throw TuningError.noObjectives(scenario: base.file)
            }
            let objective = SweepObjective(minimumAttainment: minAttainment ?? file.minimumAttainment)
            let bar = ProgressBar()
            let runner = TrialRunner(evaluator: TrialEvaluator(template: file.template), progress: { bar.show($0) })
            let results = try CostWaterfall.run(
                file, paths: path.isEmpty ? nil : path, objective: objective, maximumNodes: maxNodes, runner: runner)
            bar.clear()
            let sloText = ServiceObjectives.text(base.slo)
            if json != "-" { print(CostWaterfall.text(results, objective: objective, slo: sloText)) }
            if let json {
                let data = CostWaterfall.jsonData(results, objective: objective, slo: sloText)
                if json == "-" { FileHandle.standardOutput.write(data) } else { try write(data, to: json) }
            }
            if let html {
                try write(Data(CostWaterfall.html(results, objective: objective, slo: sloText).utf8), to: html)
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
