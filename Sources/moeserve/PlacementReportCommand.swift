import ArgumentParser
import Foundation
import MoECore
import PerfModel
import Placement

/// `moeserve placement-report`: the comparison in `Docs/Placement.md`, no replication against EPLB
/// against the planner on every expert-load matrix of a folder, at EP32 prefill and EP144 decode.
struct PlacementReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement-report",
        abstract: "Compare no replication, EPLB and the planner on a folder of expert-load matrices.",
        discussion: """
            Prints Markdown tables; with --update FILE, replaces the generated part of FILE instead
            (what `make placement-report` does to Docs/Placement.md).
            """)

    @Argument(help: "Folder of SGLang expert-distribution JSON files.") var folder = "Simulations/expert-loads"
    @Option(help: "Write the tables between the report markers of this Markdown file.") var update: String?

    func run() throws {
        try reportingPlanErrors {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
                    .sorted()
            } catch {
                throw PlanInputError("\(folder): cannot list the folder (\(error.localizedDescription))")
            }
            guard !names.isEmpty else { throw PlanInputError("\(folder): no .json expert-load files") }
            let matrices = try names.map { name in
                (
                    name: String(name.dropLast(5)),
                    loads: try ExpertLoadFile.read(path: "\(folder)/\(name)", model: Catalog.deepSeekV3)
                )
            }
            let tables = PlacementComparison.markdown(try PlacementComparison.run(matrices: matrices))
            guard let update else {
                print(tables)
                return
            }
            let document = try String(contentsOfFile: update, encoding: .utf8)
            guard let updated = PlacementComparison.updating(document, with: tables) else {
                throw PlanInputError("\(update): no report markers (\(PlacementComparison.beginMarker) ... end)")
            }
            try updated.write(toFile: update, atomically: true, encoding: .utf8)
        }
    }
}
