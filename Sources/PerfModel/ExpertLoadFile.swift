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

    /// Parses the JSON in `data`; `source` names it in errors.
    public static func parse(_ data: Data, source: String, model: ModelSpec) throws -> ExpertLoadMatrix {
        func fail(_ message: String) -> PerfModelError { .invalidExpertLoad("\(source): \(message)") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw fail("not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any], let raw = root["logical_count"] else {
            throw fail("expected an object with the key \"logical_count\"")
        }
        guard let rows = raw as? [[Any]] else {
            throw fail("\"logical_count\" must be an array of arrays of numbers")
        }
        var matrix = [[Double]]()
        matrix.reserveCapacity(rows.count)
        for (layer, row) in rows.enumerated() {
            var values = [Double]()
            values.reserveCapacity(row.count)
            for (expert, value) in row.enumerated() {
                guard let number = value as? NSNumber, !(value is Bool) else {
                    throw fail("\"logical_count\"[\(layer)][\(expert)] is not a number")
                }
                values.append(number.doubleValue)
            }
            matrix.append(values)
        }
        if matrix.count == model.layers && model.moeLayers < model.layers {
            matrix.removeFirst(model.denseLayers)
        }
        guard matrix.count == model.moeLayers else {
            throw fail(
                "\(rows.count) rows, expected \(model.layers) (one per layer) or \(model.moeLayers) (one per MoE "
                    + "layer) for \(model.key)")
        }
        do {
            return try ExpertLoadMatrix(rows: matrix)
        } catch let error as ExpertLoadError {
            throw fail(error.description)
        }
    }
}
