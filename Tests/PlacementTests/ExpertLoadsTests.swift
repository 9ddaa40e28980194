import Foundation
import MoECore
import PerfModel
import Testing

@testable import Placement

/// Reading loads: CSV with errors that point at the line and column, SGLang JSON, seeded Zipf skews.
@Suite struct ExpertLoadsTests {
    /// A CSV of `rows` lines of 256 loads, with `edit` applied to the lines.
    static func csv(rows: Int = 58, edit: (inout [[String]]) -> Void = { _ in }) -> String {
        var lines = (0..<rows).map { row in (0..<256).map { String(($0 * 7 + row) % 13) } }
        edit(&lines)
        return "# expert loads, one line per MoE layer\n\n"
            + lines.map { $0.joined(separator: ",") }.joined(separator: "\n")
    }

    static func parseError(_ text: String) -> String? {
        do {
            _ = try ExpertLoadCSV.parse(text, source: "loads.csv", model: Catalog.deepSeekV3)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aCSVMatrixReadsWithCommentsBlankLinesAndDenseRows() throws {
        let matrix = try ExpertLoadCSV.parse(Self.csv(), source: "loads.csv", model: Catalog.deepSeekV3)
        #expect(matrix.layers == 58 && matrix.experts == 256)
        #expect(matrix[1, 2] == Double((2 * 7 + 1) % 13))
        // One line per layer: the three dense layers' lines are dropped.
        let perLayer = try ExpertLoadCSV.parse(Self.csv(rows: 61), source: "loads.csv", model: Catalog.deepSeekV3)
        #expect(perLayer.layers == 58 && perLayer[0, 0] == 3)
    }

    @Test func csvErrorsNameTheFileLineAndColumn() {
        // Line 1 is the comment, line 2 blank, so row r is on line r + 3.
        #expect(Self.parseError(Self.csv { $0[2][4] = "abc" }) == "loads.csv:5: column 5: 'abc' is not a finite number")
        #expect(Self.parseError(Self.csv { $0[0][0] = "nan" }) == "loads.csv:3: column 1: 'nan' is not a finite number")
        #expect(Self.parseError(Self.csv { $0[3][9] = "-2" }) == "loads.csv:6: column 10: load -2 is negative")
        #expect(
            Self.parseError(Self.csv { $0[1].removeLast() })
                == "loads.csv:4: 255 values, expected 256 (one per routed expert of deepseek-v3)")
        #expect(
            Self.parseError(Self.csv(rows: 57))
                == "loads.csv: 57 rows, expected 58 (one per MoE layer) or 61 (one per layer) for deepseek-v3")
    }

    @Test func filesAreReadByTheirExtension() throws {
        let directory = NSTemporaryDirectory() + "loads-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.csv().write(toFile: "\(directory)/loads.csv", atomically: true, encoding: .utf8)
        #expect(try ExpertLoads.read(path: "\(directory)/loads.csv", model: Catalog.deepSeekV3).layers == 58)
        let json = try ExpertLoads.read(path: "\(Fixtures.loadsFolder)/prefill_in1024.json", model: Catalog.deepSeekV3)
        // SGLang's counts: every token adds 8 (top-8) to each MoE layer's row.
        #expect(json.layers == 58 && json.row(0).reduce(0, +) == json.row(57).reduce(0, +))
        #expect(throws: InputFileError.self) {
            try ExpertLoads.read(path: "\(directory)/none.csv", model: Catalog.deepSeekV3)
        }
    }

    @Test func zipfSkewsAreFixedBySeedAndRouteEveryTokenEightTimes() {
        let model = Catalog.deepSeekV3
        let first = ExpertLoads.zipf(model: model, exponent: 1.2, tokens: 10_000, seed: 42)
        #expect(first == ExpertLoads.zipf(model: model, exponent: 1.2, tokens: 10_000, seed: 42))
        #expect(first != ExpertLoads.zipf(model: model, exponent: 1.2, tokens: 10_000, seed: 43))
        for layer in [0, 57] {
            let row = first.row(layer)
            #expect(abs(row.reduce(0, +) - 80_000) < 1e-6)
            #expect(abs(row.max()! / row.min()! - pow(256, 1.2)) < 1e-6)
        }
        // Each layer has its own order of experts.
        #expect(first.row(0).firstIndex(of: first.row(0).max()!) != first.row(1).firstIndex(of: first.row(1).max()!))
    }
}
