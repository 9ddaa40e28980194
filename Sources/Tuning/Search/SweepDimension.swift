/// One knob a sweep varies: a scenario key path and the values it takes, in the order given (for ordered
/// knobs such as batch sizes, smallest to largest, which the adaptive search relies on).
public struct SweepDimension: Sendable, Hashable {
    /// The key path (`scheduler.max_num_seqs`).
    public var keyPath: String
    /// The values as YAML text.
    public var values: [String]

    /// Creates a dimension.
    public init(keyPath: String, values: [String]) {
        self.keyPath = keyPath
        self.values = values
    }

    /// Parses `KEY=V1,V2,...` (`--vary`). Commas inside brackets or braces belong to the value, so
    /// `workload.generator.lengths={input_tokens: 1024, output_tokens: 256}` is one value.
    /// - Throws: ``TuningError/malformedVary(argument:reason:)`` naming what is missing.
    public static func parse(_ argument: String) throws -> SweepDimension {
        guard let equals = argument.firstIndex(of: "=") else {
            throw TuningError.malformedVary(argument: argument, reason: "expected KEY=V1,V2,... with an '='")
        }
        let key = String(argument[..<equals]).trimmingSpaces
        guard !key.isEmpty else { throw TuningError.malformedVary(argument: argument, reason: "the key is empty") }
        var values: [String] = []
        var current = ""
        var depth = 0
        for character in argument[argument.index(after: equals)...] {
            switch character {
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            default: break
            }
            if character == ",", depth == 0 {
                values.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(character)
            }
        }
        values.append(current.trimmingSpaces)
        if let empty = values.firstIndex(where: \.isEmpty) {
            throw TuningError.malformedVary(argument: argument, reason: "value \(empty + 1) is empty")
        }
        if let repeated = values.indices.first(where: { values[..<$0].contains(values[$0]) }) {
            throw TuningError.malformedVary(argument: argument, reason: "the value '\(values[repeated])' is repeated")
        }
        return SweepDimension(keyPath: key, values: values)
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
