import Foundation
import MoECore

/// Reads an expert-load matrix from CSV: one line per MoE layer (or one per layer, the leading dense
/// layers' lines then being dropped), one comma-separated count per routed expert. Blank lines and
/// lines starting with `#` (a header, a note) are skipped.
public enum ExpertLoadCSV {
    /// The MoE-layer load matrix of `model` in the CSV file at `path`.
    /// - Throws: ``InputFileError`` naming the file, line and column of the first problem.
    public static func read(path: String, model: ModelSpec) throws -> ExpertLoadMatrix {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputFileError(file: path, keyPath: "", message: "no such file or not readable")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path, model: model)
    }

    /// Parses CSV `text` that came from `source`.
    /// - Throws: ``InputFileError`` naming `source`, the line and the column of the first problem.
    public static func parse(_ text: String, source: String, model: ModelSpec) throws -> ExpertLoadMatrix {
        let experts = model.moe?.routedExperts ?? 0
        var rows = [[Double]]()
        var firstLine = [Int]()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            func fail(_ message: String) -> InputFileError {
                InputFileError(file: source, line: index + 1, keyPath: "", message: message)
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == experts else {
                throw fail("\(cells.count) values, expected \(experts) (one per routed expert of \(model.key))")
            }
            var row = [Double]()
            row.reserveCapacity(experts)
            for (column, cell) in cells.enumerated() {
                let text = cell.trimmingCharacters(in: .whitespaces)
                guard let value = Double(text), value.isFinite else {
                    throw fail("column \(column + 1): '\(text)' is not a finite number")
                }
                guard value >= 0 else { throw fail("column \(column + 1): load \(text) is negative") }
                row.append(value)
            }
            rows.append(row)
            firstLine.append(index + 1)
        }
        if rows.count == model.layers && model.moeLayers < model.layers { rows.removeFirst(model.denseLayers) }
        guard rows.count == model.moeLayers, !rows.isEmpty else {
            throw InputFileError(
                file: source, keyPath: "",
                message: "\(rows.count) rows, expected \(model.moeLayers) (one per MoE layer) or \(model.layers) "
                    + "(one per layer) for \(model.key)")
        }
        do {
            return try ExpertLoadMatrix(rows: rows)
        } catch let error as ExpertLoadError {
            throw InputFileError(file: source, keyPath: "", message: error.description)
        }
    }
}
