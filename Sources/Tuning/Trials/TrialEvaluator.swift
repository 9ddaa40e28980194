import Deployment
import MoECore
import Simulation
import Workload

/// Simulates one configuration: the template with its overrides, as a fresh `ClusterSimulation`.
///
/// A configuration that cannot be built (weights that do not fit, a layout the scenario reader refuses in
/// this combination, a deployment the simulator does not model) is an infeasible trial with the reason,
/// not an error: a sweep goes on past it. A workload that cannot be read is an error, since it would fail
/// every configuration alike. Each evaluation is deterministic and independent of every other, so any
/// number may run at once.
public struct TrialEvaluator: Sendable {
    /// The scenario the overrides apply to.
    public let template: ScenarioTemplate

    /// An evaluator of variants of `template`.
    public init(template: ScenarioTemplate) {
        self.template = template
    }

    /// Simulates the configuration `overrides` make.
    /// - Throws: `WorkloadError` when the workload cannot be read.
    public func evaluate(_ overrides: [ScenarioOverride]) throws -> TrialOutcome {
        let simulation: ClusterSimulation
        do {
            simulation = try ClusterSimulation(plan: DeploymentPlan(scenario: template.scenario(overrides)))
        } catch let error as InputFileError {
            return .infeasible(reason: error.description)
        } catch let error as SimulationError {
            return .infeasible(reason: error.description)
        }
        do {
            return .measured(TrialMetrics(try simulation.run()))
        } catch let error as SimulationError {
            return .infeasible(reason: error.description)
        }
    }
}
