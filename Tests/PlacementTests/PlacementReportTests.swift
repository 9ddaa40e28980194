import Foundation
import MoECore
import TestSupport
import Testing

@testable import Placement

/// The comparison in Docs/Placement.md: every shipped matrix at EP32 prefill and EP144 decode.
@Suite struct PlacementReportTests {
    /// The report's rows, computed once for all tests of the suite.
    static let rows: Result<[PlacementComparison.Row], any Error> = Result {
        let matrices = try Fixtures.matrixNames.map { name in
            (name: String(name.dropLast(5)), loads: try Fixtures.matrix(name))
        }
        return try PlacementComparison.run(matrices: matrices)
    }

    static func metrics(
        _ rows: [PlacementComparison.Row], _ shape: PlacementComparison.Shape, _ algorithm: PlacementAlgorithm
    )
        -> [PlacementMetrics]
    {
        rows.filter { $0.shape == shape && $0.algorithm == algorithm }.map(\.metrics)
    }

    @Test func plannerIsAtLeastAsBalancedAsEPLBOnEveryMatrixAndBetterOnAverage() throws {
        let rows = try Self.rows.get()
        #expect(Fixtures.matrixNames.count == 12)
        for shape in PlacementComparison.deepSeekShapes {
            let planner = Self.metrics(rows, shape, .planner)
            let eplb = Self.metrics(rows, shape, .eplb)
            let none = Self.metrics(rows, shape, .none)
            #expect(planner.count == 12 && eplb.count == 12)
            for (index, (plan, baseline)) in zip(planner, eplb).enumerated() {
                let name = Fixtures.matrixNames[index]
                #expect(plan.balancedness >= baseline.balancedness, "\(shape.name) \(name)")
                #expect(plan.moeLayerTime <= baseline.moeLayerTime, "\(shape.name) \(name)")
                #expect(baseline.balancedness > none[index].balancedness, "\(shape.name) \(name)")
            }
            let mean = { (metrics: [PlacementMetrics]) in metrics.map(\.balancedness).reduce(0, +) / 12 }
            #expect(mean(planner) > mean(eplb), "\(shape.name): planner \(mean(planner)), EPLB \(mean(eplb))")
        }
    }

    @Test func theDocumentedTablesAreWhatTheCodeProduces() throws {
        let document = try String(contentsOfFile: SharedData.packageFile("Docs/Placement.md"), encoding: .utf8)
        let tables = PlacementComparison.markdown(try Self.rows.get())
        let regenerated = try #require(PlacementComparison.updating(document, with: tables))
        #expect(regenerated == document, "Docs/Placement.md is stale: run make placement-report")
    }
}
