import Foundation
import MoECore

/// Reads SGLang's expert-distribution files (`{"logical_count": [[...], ...]}`, one row per
/// transformer layer or per MoE layer, one column per routed expert), the format of the measured
/// DeepSeek-V3/R1 loads in `shared/traces/sglang-deepseek-expert-distribution/`.
public enum ExpertLoadFile {
    /// The MoE-layer load matrix of `model` in the file at `path`. Rows for the model's leading dense
    /// layers (all zero in SGLang's dumps) are dropped when the file has one row per layer.
    /// - Throws: ``PerfModelError/invalidExpertLoad(_:)`` naming the file and what was wrong.
    public static func read(path: String, model: ModelSpec) throws -> ExpertLoadMatrix {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PerfModelError.invalidExpertLoad("\(path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(data, source: path, model: model)
    }

    private struct Distribution: Decodable {
        var logicalCount: [[Double]]
        enum CodingKeys: String, CodingKey { case logicalCount = "logical_count" }
    }

    /// A coding path as `"logical_count"[3][17]`.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map { "[\($0)]" } ?? "\"\(key.stringValue)\"" }.joined()
    }

    /// Parses the JSON in `data`; `source` names it in errors.
    public static func parse(_ data: Data, source: String, model: ModelSpec) throws -> ExpertLoadMatrix {
        func fail(_ message: String) -> PerfModelError { .invalidExpertLoad("\(source): \(message)") }
        var matrix: [[Double]]
        do {
            matrix = try JSONDecoder().decode(Distribution.self, from: data).logicalCount
        } catch DecodingError.keyNotFound(let key, _) {
            throw fail("expected an object with the key \"\(key.stringValue)\"")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw fail("\(Self.path(context.codingPath)) is not a number (expected arrays of numbers)")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw fail("\(Self.path(context.codingPath)) is not a number (expected arrays of numbers)")
        } catch {
            throw fail("not valid JSON (\(error.localizedDescription))")
        }
        let rowCount = matrix.count
        if matrix.count == model.layers && model.moeLayers < model.layers {
            matrix.removeFirst(model.denseLayers)
        }
        guard matrix.count == model.moeLayers else {
            throw fail(
                "\(rowCount) rows, expected \(model.layers) (one per layer) or \(model.moeLayers) (one per MoE "
                    + "layer) for \(model.key)")
        }
        do {
            return try ExpertLoadMatrix(rows: matrix)
        } catch let error as ExpertLoadError {
            throw fail(error.description)
        }
    }
}
