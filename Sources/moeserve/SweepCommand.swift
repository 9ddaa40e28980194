import ArgumentParser
import Foundation
import MoECore
import Tuning

/// `moeserve sweep`: simulates variants of a scenario (`--vary KEY=V1,V2,...`) on every core and reports the
/// Pareto frontier of cost per million output tokens against SLO attainment, the recommended configuration,
/// or with `--min-nodes` the smallest cluster each configuration needs.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Search scheduler and deployment knobs for the cheapest configuration meeting the SLO.",
        discussion: """
            Each --vary names a scenario key path (the keys of Docs/Scenarios.md) and its values; the sweep
            simulates combinations of them (grid, seeded random or adaptive search), every simulation on its
            own core, and ranks them by dollars per million output tokens (allocation basis) against SLO
            attainment: requests meeting every objective over requests arrived. Results stream to --csv, one
            row per configuration; rerunning with the same --csv resumes, simulating only what is missing.
            --min-nodes finds each configuration's smallest cluster meeting --min-attainment (bisection over
            node counts). Bad input (an unknown key, a value no configuration accepts, a malformed --slo)
            exits with code 2 and names it. See Docs/Tuning.md.

            Examples:
              moeserve sweep --vary scheduler.max_num_seqs=32,64,128 --vary deployment.instances[0].count=1,2 \\
                  --slo ttft=2s,tpot=50ms --csv sweep.csv --html sweep.html
              moeserve sweep --scenario Simulations/default.yaml --min-nodes --slo ttft=2s,tpot=50ms
            """)

    @Option(help: "The scenario file; default: Simulations/default.yaml.") var scenario: String?
    @Option(help: ArgumentHelp("A knob and its values, KEY=V1,V2,... (repeatable).", valueName: "KEY=VALUES"))
    var vary: [String] = []
    @Option(help: "Objectives, such as ttft=2s,tpot=50ms (default: the scenario's slo).") var slo: String?
    @Option(help: "SLO attainment a recommended configuration must reach (default 0.9).")
    var minAttainment: Double = SweepObjective.defaultMinimumAttainment
    @Option(help: "grid, random or adaptive (coordinate descent).") var search: SearchKind = .grid
    @Option(help: "Configurations a random search draws.") var samples = 20
    @Option(help: "Seed of the random search's draws and the adaptive search's design.") var sampleSeed: UInt64 = 0
    @Option(help: "Seed of every simulation (default: the scenario's).") var seed: UInt64?
    @Option(help: "Stream results to this CSV, and resume from it.") var csv: String?
    @Option(help: "Write the frontier chart and tables as a self-contained HTML page.") var html: String?
    @Flag(help: "Find each configuration's smallest cluster meeting --min-attainment.") var minNodes = false
    @Option(help: "How the cluster grows with --min-nodes: instances or spanning (one instance, EP over all).")
    var scale: ClusterSizing = .instances
    @Option(help: "Largest cluster --min-nodes tries.") var maxNodes = 64
    @Flag(
        help:
            "Print the search's configurations, the CSV header and the fingerprint as JSON, and run nothing (for Simulations/ray_sweep.py)."
    )
    var printConfigurations = false

    enum SearchKind: String, ExpressibleByArgument, CaseIterable { case grid, random, adaptive }

    func run() throws {
        try reportingInputErrors {
            guard (0...1).contains(minAttainment) else {
                throw TuningError.invalidOption(option: "--min-attainment", reason: "expected a number from 0 to 1")
            }
            guard samples > 0 else { throw TuningError.invalidOption(option: "--samples", reason: "expected > 0") }
            guard maxNodes > 0 else { throw TuningError.invalidOption(option: "--max-nodes", reason: "expected > 0") }
            var template = try ScenarioTemplate.load(
                file: scenario ?? shippedFile("Simulations/default.yaml", option: "--scenario"))
            template.slo = try slo.map(ServiceObjectives.parse)
            template.seed = seed
            let base = try template.scenario([])
            guard base.slo.ttft != nil || base.slo.tpot != nil else {
                throw TuningError.noObjectives(scenario: base.file)
            }
            let space = try SweepSpace(vary.map(SweepDimension.parse))
            try space.validate(against: template)
            let objective = SweepObjective(minimumAttainment: minAttainment)
            let keyPaths = space.keyPaths + (minNodes ? scale.keyPaths : [])
            if let overlap = space.keyPaths.first(where: { minNodes && scale.keyPaths.contains($0) }) {
                throw TuningError.invalidOption(
                    option: "--min-nodes", reason: "it sets \(overlap) itself; do not --vary it as well")
            }
            if printConfigurations {
                try printPlan(space, template: template, keyPaths: keyPaths)
                return
            }
            let ledger = try csv.map {
                try SweepLedger(path: $0, fingerprint: SweepLedger.fingerprint(of: template), keyPaths: keyPaths)
            }
            if ledger?.droppedPartialLine == true {
                printError("warning: \(csv!): dropped a last row cut short by an interruption; it runs again")
            }
            let bar = ProgressBar()
            let runner = TrialRunner(
                evaluator: TrialEvaluator(template: template), ledger: ledger, progress: { bar.show($0) })
            let searchStrategy: SweepSearch =
                switch search {
                case .grid: .grid
                case .random: .random(samples: samples, seed: sampleSeed)
                case .adaptive: .adaptive(seed: sampleSeed)
                }
            let resumed = ledger?.resumedCount ?? 0
            if minNodes {
                try planCapacity(
                    space, strategy: searchStrategy, template: template, objective: objective, runner: runner,
                    bar: bar)
            } else {
                let trials = try searchStrategy.run(space, runner: runner, objective: objective)
                bar.clear()
                let report = SweepReport(
                    keyPaths: space.keyPaths, trials: trials, objective: objective,
                    slo: ServiceObjectives.text(base.slo), search: searchDescription, spaceSize: space.count,
                    simulated: runner.simulatedCount, resumed: resumed)
                print(report.text())
                if let html { try write(report.html(title: "Sweep of \(base.name)"), to: html) }
            }
            bar.clear()
            try runner.finishLedger()
        }
    }

    private var searchDescription: String {
        switch search {
        case .grid: "grid"
        case .random: "random (\(samples) samples, seed \(sampleSeed))"
        case .adaptive: "adaptive (design and coordinate descent, seed \(sampleSeed))"
        }
    }

    /// `--min-nodes`: the smallest cluster of every configuration the search picks.
    private func planCapacity(
        _ space: SweepSpace, strategy: SweepSearch, template: ScenarioTemplate, objective: SweepObjective,
        runner: TrialRunner, bar: ProgressBar
    ) throws {
        guard let configurations = strategy.configurations(of: space) else {
            throw TuningError.invalidOption(
                option: "--min-nodes", reason: "sizes every configuration of a grid or random search, not adaptive")
        }
        var sizes: [[ClusterSize]] = []
        for configuration in configurations {
            do {
                sizes.append(try scale.sizes(of: template, overrides: configuration, maximumNodes: maxNodes))
            } catch is InputFileError {
                sizes.append([])  // a combination the scenario reader refuses: nothing to size
            }
        }
        let plans = try CapacityPlanner(objective: objective).run(configurations, sizes: sizes, runner: runner)
        bar.clear()
        print(
            "Capacity: the smallest cluster (\(scale.rawValue)) meeting >= \(Int(minAttainment * 100))% SLO "
                + "attainment, up to \(maxNodes) nodes; \(runner.simulatedCount) simulations")
        print(SizedTrial.table(plans, keyPaths: space.keyPaths).render())
        let best = plans.filter { $0.size != nil }.min {
            ($0.trial?.outcome.metrics?.usdPerMillionOutputTokens ?? .infinity)
                < ($1.trial?.outcome.metrics?.usdPerMillionOutputTokens ?? .infinity)
        }
        if let best, let size = best.size {
            let knobs = (best.configuration + size.overrides).map(\.text).joined(separator: " ")
            print("\nSmallest and cheapest: \(size.nodes) nodes with \(knobs)")
        } else {
            print("\nNo configuration meets the target within \(maxNodes) nodes.")
        }
    }

    /// `--print-configurations`: `{"fingerprint", "header", "configurations": [[[key, value], ...], ...]}`.
    private func printPlan(_ space: SweepSpace, template: ScenarioTemplate, keyPaths: [String]) throws {
        let strategy: SweepSearch = search == .random ? .random(samples: samples, seed: sampleSeed) : .grid
        guard search != .adaptive, !minNodes, let configurations = strategy.configurations(of: space) else {
            throw TuningError.invalidOption(
                option: "--print-configurations", reason: "lists the configurations of a grid or random search only")
        }
        let header = ["sweep"] + keyPaths + SweepLedger.metricColumns
        let object: [String: Any] = [
            "fingerprint": SweepLedger.fingerprint(of: template), "header": header,
            "configurations": configurations.map { $0.map { [$0.keyPath, $0.value] } },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw inputError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

extension ClusterSizing: ExpressibleByArgument {}
