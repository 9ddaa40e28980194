import ArgumentParser
import Foundation
import Tuning

/// `moeserve tuning-report`: the generated tables of `Docs/Tuning.md`: the worked sweep (grid, random and
/// adaptive search) and the cost waterfalls of the shipped levers file.
struct TuningReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tuning-report",
        abstract: "Regenerate the worked sweep and the cost waterfalls of Docs/Tuning.md.",
        discussion: """
            Run from the package root. Prints the Markdown sections; with --update FILE, replaces them
            between their markers in FILE instead (what `make tuning-report` does to Docs/Tuning.md).
            """)

    @Option(help: "Write the sections between their markers in this Markdown file.") var update: String?

    func run() throws {
        try reportingInputErrors {
            let sections = try TuningReport.sections(packageRoot: FileManager.default.currentDirectoryPath)
            guard let update else {
                for section in sections { print("## \(section.name)\n\n\(section.markdown)\n") }
                return
            }
            let document: String
            do {
                document = try String(contentsOfFile: update, encoding: .utf8)
            } catch {
                throw inputError("cannot read \(update): \(error.localizedDescription)")
            }
            guard let updated = TuningReport.updating(document, with: sections) else {
                throw inputError("\(update): missing a '<!-- BEGIN generated: NAME -->' ... END marker pair")
            }
            try updated.write(toFile: update, atomically: true, encoding: .utf8)
        }
    }
}
