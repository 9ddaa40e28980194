/// One knob a sweep varies: one scenario key path, or several moved together (an instance count and the
/// cluster's nodes), and the values it takes, in the order given (for ordered knobs such as batch sizes,
/// smallest to largest, which the adaptive search relies on).
public struct SweepDimension: Sendable, Hashable {
    /// The key paths (`scheduler.max_num_seqs`), several for a linked knob.
    public var keyPaths: [String]
    /// The values as YAML text, each one value per key path.
    public var values: [[String]]

    /// A dimension over one key path.
    public init(keyPath: String, values: [String]) {
        self.init(keyPaths: [keyPath], values: values.map { [$0] })
    }

    /// A dimension moving `keyPaths` together; every value has one entry per key path.
    public init(keyPaths: [String], values: [[String]]) {
        self.keyPaths = keyPaths
        self.values = values
    }

    /// The values as they are written on the command line (`2/16` for a linked knob).
    public var valueTexts: [String] { values.map { $0.joined(separator: "/") } }

    /// Parses `KEY=V1,V2,...` (`--vary`), or `KEY1/KEY2=A1/B1,A2/B2` to move keys together. Commas inside
    /// brackets or braces belong to the value, so `workload.generator.lengths={input_tokens: 1024,
    /// output_tokens: 256}` is one value.
    /// - Throws: ``TuningError/malformedVary(argument:reason:)`` naming what is missing.
    public static func parse(_ argument: String) throws -> SweepDimension {
        guard let equals = argument.firstIndex(of: "=") else {
            throw TuningError.malformedVary(argument: argument, reason: "expected KEY=V1,V2,... with an '='")
        }
        let keys = String(argument[..<equals]).split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces
        }
        guard !keys.contains(where: \.isEmpty) else {
            throw TuningError.malformedVary(argument: argument, reason: "a key is empty")
        }
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
        guard keys.count > 1 else { return SweepDimension(keyPath: keys[0], values: values) }
        let linked = try values.map { value -> [String] in
            let parts = value.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard parts.count == keys.count, !parts.contains(where: \.isEmpty) else {
                throw TuningError.malformedVary(
                    argument: argument, reason: "'\(value)' is not \(keys.count) values joined by '/', one per key")
            }
            return parts
        }
        return SweepDimension(keyPaths: keys, values: linked)
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
