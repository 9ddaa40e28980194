import ArgumentParser

/// The `moeserve` command line: one subcommand per job (simulate, plan, perf, serve, ...).
@main
struct MoEServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moeserve",
        abstract: "Serve, plan and simulate mixture-of-experts inference clusters.",
        subcommands: [
            SimulateCommand.self, CatalogCommand.self, TopologyCommand.self, ValidateCommand.self, PerfCommand.self,
            PlanCommand.self, PlacementReportCommand.self, SweepCommand.self, ExplainCostCommand.self,
            TuningReportCommand.self, ServeCommand.self, ReplayCommand.self,
        ]
    )
}
