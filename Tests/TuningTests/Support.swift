import Foundation
import MoECore
import TestSupport
import Testing
import Tuning

/// The worked example of Docs/Tuning.md: its template, space and the grid over it (simulated once per run).
enum Example {
    static let template: ScenarioTemplate = try! ScenarioTemplate.load(
        file: SharedData.packageFile(TuningReport.exampleScenario))
    static let space: SweepSpace = try! SweepSpace(TuningReport.exampleVary.map(SweepDimension.parse))
    static let objective = SweepObjective()

    /// A runner every test of the example may share: a configuration is simulated once per test run.
    static let sharedRunner = TrialRunner(evaluator: TrialEvaluator(template: template))

    /// The whole grid, in row-major order.
    static let grid: [Trial] = try! SweepSearch.grid.run(space, runner: sharedRunner, objective: objective)

    /// A fresh runner over the example.
    static func runner(ledger: SweepLedger? = nil) -> TrialRunner {
        TrialRunner(evaluator: TrialEvaluator(template: template), ledger: ledger)
    }
}

/// Files of the package the tests read.
enum TestPaths {
    /// The shipped levers file.
    static let levers = SharedData.packageFile(TuningReport.leversFile)
}

/// The overrides a path of a levers file has accumulated.
enum CostWaterfallSteps {
    /// The first path's overrides from the baseline through the lever `key`.
    static func overrides(upTo key: String, in levers: CostLevers) -> [ScenarioOverride] {
        var overrides: [ScenarioOverride] = []
        for lever in levers.paths[0].levers {
            if lever.pending == nil { overrides = (overrides + lever.overrides).collapsed }
            if lever.key == key { break }
        }
        return overrides
    }
}
