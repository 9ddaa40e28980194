/// Reads Mooncake (FAST'25) JSONL traces: one object per line with `timestamp` (milliseconds),
/// `input_length`, `output_length` and `hash_ids` (one remapped hash per 512-token prompt block).
///
/// `hash_ids` become the request's `prefixBlockHashes` (with `prefixBlockTokens` 512), so prefix-cache
/// reuse can be simulated. A row whose hash count is not ⌈input_length / 512⌉ is malformed (the
/// published traces hold this for every row, and a cache would otherwise mis-count reusable tokens).
/// The conversation trace quantizes timestamps to 3 s slots, so by default requests sharing a
/// timestamp are spread within their slot (see ``SlotSpreading``).
public final class MooncakeTraceReader: TraceReader {
    /// Tokens per hash id in the Mooncake traces.
    public static let blockTokens = 512
    /// The timestamp quantum of the conversation trace (median step between distinct timestamps).
    public static let slotWidthNanoseconds: Int64 = 3_000_000_000

    /// Opens the JSONL file at `path` (a `.gz` file is decompressed on the fly).
    public init(path: String, options: TraceReaderOptions = TraceReaderOptions()) throws {
        try super.init(path: path, decoder: MooncakeRowDecoder(), options: options)
    }
}

/// Decodes Mooncake JSONL rows.
struct MooncakeRowDecoder: TraceRowDecoding {
    var hasHeader: Bool { false }
    var defaultSlotWidth: Int64? { MooncakeTraceReader.slotWidthNanoseconds }

    func readHeader(_ line: [UInt8], path: String, lineNumber: Int) throws {}

    func decode(_ line: [UInt8]) throws(RowProblem) -> TraceRow {
        var scanner = JSONLineScanner(line)
        var timestamp: Int64?
        var input: Int?
        var output: Int?
        var hashes: [UInt64]?
        try scanner.expect(UInt8(ascii: "{"))
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try scanner.string()
                try scanner.expect(UInt8(ascii: ":"))
                switch String(decoding: key, as: UTF8.self) {
                case "timestamp": timestamp = try milliseconds(try scanner.number())
                case "input_length": input = try positiveInteger(try scanner.number(), column: "input_length")
                case "output_length": output = try integer(try scanner.number(), column: "output_length")
                case "hash_ids": hashes = try hashIDs(&scanner)
                default: try scanner.skipValue()
                }
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "}"))
        }
        guard scanner.atEnd else { throw scanner.problem(expected: "the end of the line after the object") }
        guard let timestamp else { throw RowProblem(message: "expected key \"timestamp\", found none") }
        guard let input else { throw RowProblem(message: "expected key \"input_length\", found none") }
        guard let output else { throw RowProblem(message: "expected key \"output_length\", found none") }
        let hashIDs = hashes ?? []
        let blocks = (input + MooncakeTraceReader.blockTokens - 1) / MooncakeTraceReader.blockTokens
        guard hashes == nil || hashIDs.count == blocks else {
            throw RowProblem(
                message: "expected ⌈input_length / 512⌉ = \(blocks) hash_ids, found \(hashIDs.count)")
        }
        return TraceRow(
            timestamp: timestamp, promptTokens: input, outputTokens: output, prefixBlockHashes: hashIDs,
            prefixBlockTokens: MooncakeTraceReader.blockTokens)
    }

    /// A non-negative millisecond timestamp (integer or decimal) in nanoseconds.
    private func milliseconds(_ bytes: ArraySlice<UInt8>) throws(RowProblem) -> Int64 {
        if let whole = ByteParsing.nonNegativeInteger(bytes), whole < 9_000_000_000_000 {
            return Int64(whole) * 1_000_000
        }
        guard let value = ByteParsing.double(bytes), value >= 0, value < 9e12 else {
            throw RowProblem(
                message: "expected non-negative milliseconds in key \"timestamp\", found \(ByteParsing.quoted(bytes))")
        }
        return Int64((value * 1e6).rounded())
    }

    private func hashIDs(_ scanner: inout JSONLineScanner) throws(RowProblem) -> [UInt64] {
        var ids: [UInt64] = []
        try scanner.expect(UInt8(ascii: "["))
        if scanner.consume(UInt8(ascii: "]")) { return ids }
        repeat {
            ids.append(UInt64(try integer(try scanner.number(), column: "hash_ids")))
        } while scanner.consume(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "]"))
        return ids
    }
}
