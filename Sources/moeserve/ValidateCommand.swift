import ArgumentParser
import Deployment
import Foundation
import MoECore

/// `moeserve validate FILE`: loads a scenario, resolves it against the catalog and prints what it
/// describes. A malformed or missing file exits with code 2 and a message naming the key path.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file and print the model, devices, instances and memory per device.")

    @Argument(help: "The scenario file (YAML or JSON).")
    var file: String

    func run() throws {
        let plan = try reportingInputErrors { try DeploymentPlan(scenario: Scenario.load(file: file)) }
        print(ScenarioSummary(plan).text)
    }
}
