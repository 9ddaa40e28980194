import Foundation
import TestSupport
import Testing
import Tuning

/// Docs/Tuning.md's generated tables are what the code produces (`make tuning-report` rewrites them).
@Suite struct TuningDocTests {
    @Test func theGeneratedTablesOfTuningMdMatchWhatTheCodeProduces() throws {
        let document = try String(contentsOfFile: SharedData.packageFile("Docs/Tuning.md"), encoding: .utf8)
        _ = Example.grid  // the example's grid, simulated once for every test of the suite
        let sections = try TuningReport.sections(
            packageRoot: SharedData.packageRoot.path, exampleRunner: Example.sharedRunner)
        #expect(sections.map(\.name) == ["sweep", "waterfall-h800", "waterfall-ascend"])
        for section in sections {
            let written = try #require(TuningReport.section(section.name, in: document), "no \(section.name) markers")
            #expect(
                written == section.markdown, "Docs/Tuning.md section \(section.name) is stale: run make tuning-report")
        }
    }
}
