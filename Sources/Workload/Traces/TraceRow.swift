/// One request as a trace line states it, before the reader numbers it and makes its arrival relative.
struct TraceRow {
    /// Arrival on the file's own clock, in nanoseconds (any origin; the reader subtracts the first one).
    var timestamp: Int64
    /// Prompt tokens (at least 1).
    var promptTokens: Int
    /// Output tokens as recorded (0 is allowed here; the reader clamps it to 1 and counts it).
    var outputTokens: Int
    /// Prefix-block hashes, when the format has them.
    var prefixBlockHashes: [UInt64] = []
    /// Tokens per prefix block.
    var prefixBlockTokens = 512
}

/// What is wrong with one line, before the reader adds the file and line number.
struct RowProblem: Error {
    /// Says what was expected and what was found, e.g. `expected an integer in column X, found "x"`.
    var message: String
}

/// Decodes the lines of one trace format into ``TraceRow``s.
protocol TraceRowDecoding {
    /// Called with the first line when the format has a header; throws when the header is wrong.
    mutating func readHeader(_ line: [UInt8], path: String, lineNumber: Int) throws
    /// Whether the first line is a header rather than a request.
    var hasHeader: Bool { get }
    /// How wide a timestamp quantum the format's traces use, if they are quantized (Mooncake: 3 s slots).
    var defaultSlotWidth: Int64? { get }
    /// Decodes one non-empty request line.
    mutating func decode(_ line: [UInt8]) throws(RowProblem) -> TraceRow
}

extension TraceRowDecoding {
    /// The non-negative integer in `bytes`, or a problem naming `column` and quoting what was found.
    func integer(_ bytes: ArraySlice<UInt8>?, column: String) throws(RowProblem) -> Int {
        guard let bytes else { throw RowProblem(message: "expected a value in column \(column), found none") }
        guard let value = ByteParsing.nonNegativeInteger(bytes) else {
            throw RowProblem(
                message: "expected a non-negative integer in column \(column), found \(ByteParsing.quoted(bytes))")
        }
        return value
    }

    /// Like ``integer(_:column:)`` but also rejects 0 (a prompt needs at least one token).
    func positiveInteger(_ bytes: ArraySlice<UInt8>?, column: String) throws(RowProblem) -> Int {
        let value = try integer(bytes, column: column)
        guard value > 0 else { throw RowProblem(message: "expected a positive integer in column \(column), found 0") }
        return value
    }
}
