import Yams

/// What an integer field accepts; its description completes "expected ...".
public enum IntegerRequirement: Sendable, CustomStringConvertible {
    /// Any integer.
    case any
    /// Greater than zero.
    case positive
    /// Zero or more.
    case nonNegative
    /// Within the closed range.
    case range(ClosedRange<Int>)

    func accepts(_ value: Int) -> Bool {
        switch self {
        case .any: true
        case .positive: value > 0
        case .nonNegative: value >= 0
        case .range(let range): range.contains(value)
        }
    }

    public var description: String {
        switch self {
        case .any: "an integer"
        case .positive: "a positive integer"
        case .nonNegative: "a non-negative integer"
        case .range(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}

/// What a number field accepts; its description completes "expected ...".
public enum NumberRequirement: Sendable, CustomStringConvertible {
    /// Any finite number.
    case any
    /// Greater than zero.
    case positive
    /// Zero or more.
    case nonNegative
    /// A fraction from 0 to 1 inclusive.
    case fraction
    /// Within the closed range.
    case range(ClosedRange<Double>)

    func accepts(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch self {
        case .any: return true
        case .positive: return value > 0
        case .nonNegative: return value >= 0
        case .fraction: return (0...1).contains(value)
        case .range(let range): return range.contains(value)
        }
    }

    public var description: String {
        switch self {
        case .any: "a number"
        case .positive: "a positive number"
        case .nonNegative: "a non-negative number"
        case .fraction: "a number from 0 to 1"
        case .range(let range): "a number from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}

/// Strict scalar accessors: no coercion between strings, numbers and booleans.
extension DocumentNode {
    private var scalar: Node.Scalar? {
        if case .scalar(let scalar) = node { return scalar }
        return nil
    }

    /// The resolved tag of a scalar (`.str`, `.int`, `.float`, `.bool`, `.null`); nil for collections.
    var scalarTag: Tag.Name? { scalar == nil ? nil : Resolver.default.resolveTag(of: node) }

    /// The value as a string; numbers, booleans and null are rejected.
    public func string() throws -> String {
        guard let scalar, scalarTag == .str else { throw mismatch(expected: "a string") }
        return scalar.string
    }

    /// The value as a non-empty string.
    public func nonEmptyString() throws -> String {
        let value = try string()
        guard !value.isEmpty else { throw mismatch(expected: "a non-empty string") }
        return value
    }

    /// The value as an integer meeting `requirement`.
    public func integer(_ requirement: IntegerRequirement = .any) throws -> Int {
        guard let scalar, scalarTag == .int, let value = Int.construct(from: scalar) else {
            throw mismatch(expected: requirement.description)
        }
        guard requirement.accepts(value) else { throw mismatch(expected: requirement.description) }
        return value
    }

    /// The value as a number (integer or decimal) meeting `requirement`.
    public func number(_ requirement: NumberRequirement = .any) throws -> Double {
        guard let scalar, scalarTag == .int || scalarTag == .float,
            let value = Double.construct(from: scalar)
        else { throw mismatch(expected: requirement.description) }
        guard requirement.accepts(value) else { throw mismatch(expected: requirement.description) }
        return value
    }

    /// The value as a boolean (`true` or `false`).
    public func bool() throws -> Bool {
        guard let scalar, scalarTag == .bool, let value = Bool.construct(from: scalar) else {
            throw mismatch(expected: "true or false")
        }
        return value
    }

    /// The value as one of the cases of `type`, spelled as its raw value.
    public func oneOf<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) throws -> Choice
    where Choice.RawValue == String {
        let expected = "one of " + Choice.allCases.map { $0.rawValue }.joined(separator: ", ")
        guard let scalar, scalarTag == .str, let value = Choice(rawValue: scalar.string) else {
            throw mismatch(expected: expected)
        }
        return value
    }
}
