/// A plain-text table with left-aligned text columns and right-aligned numeric columns, for the terminal.
public struct TextTable: Sendable {
    /// Column headings.
    public let headers: [String]
    /// Which columns hold numbers (right-aligned).
    public let numeric: Set<Int>
    /// The rows so far.
    public private(set) var rows: [[String]] = []

    /// A table with `headers`; the columns in `numeric` are right-aligned.
    public init(_ headers: [String], numeric: Set<Int> = []) {
        self.headers = headers
        self.numeric = numeric
    }

    /// Appends a row; it must have one cell per heading.
    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "row has \(row.count) cells, table has \(headers.count) columns")
        rows.append(row)
    }

    /// The table as lines of text, a heading line and a rule first.
    public func render() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// The string without its trailing spaces.
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// Number formatting shared by the reports and the commands.
public enum Figures {
    /// `value` with `digits` decimals.
    public static func fixed(_ value: Double, _ digits: Int = 1) -> String {
        let scale = pow10(digits)
        let rounded = (value * scale).rounded() / scale
        guard digits > 0 else { return String(Int64(rounded)) }
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            text += String(repeating: "0", count: max(0, digits - decimals))
        }
        return text
    }

    /// A parameter count in billions, such as `671.0B`.
    public static func billions(_ value: Double) -> String { fixed(value / 1e9) + "B" }

    private static func pow10(_ digits: Int) -> Double { (0..<digits).reduce(1) { value, _ in value * 10 } }
}
