import MoECore

/// Prompt and output lengths of real requests, without arrival times: an empirical length distribution.
///
/// Loaded from the Sarathi/Vidur length CSVs (`num_prefill_tokens,num_decode_tokens,…`: ShareGPT,
/// arXiv summarization) or collected from any trace (for example the Azure conversation trace). A
/// table keeps whole rows, so sampling a row keeps the correlation between prompt and output length.
/// It holds every row in memory (two integers each), which is what uniform sampling needs; it is a
/// distribution of tens of thousands of rows, not a request stream.
public struct LengthTable: Hashable, Sendable {
    /// Prompt tokens of each row (all at least 1).
    public let promptTokens: [Int]
    /// Output tokens of each row (all at least 1; rows recorded with 0 were clamped, see below).
    public let outputTokens: [Int]
    /// Rows whose recorded output length was 0 and that were kept with 1 output token.
    public private(set) var clampedZeroOutputRows: Int

    /// The columns a length CSV must have.
    public static let columns = ["num_prefill_tokens", "num_decode_tokens"]

    /// A table of the given rows; throws when they are empty, of unequal count or not positive.
    public init(promptTokens: [Int], outputTokens: [Int]) throws {
        guard !promptTokens.isEmpty, promptTokens.count == outputTokens.count else {
            throw WorkloadError.invalidParameter(
                name: "length table",
                message: "expected equally many (> 0) prompt and output lengths, found "
                    + "\(promptTokens.count) and \(outputTokens.count)")
        }
        guard promptTokens.allSatisfy({ $0 > 0 }), outputTokens.allSatisfy({ $0 > 0 }) else {
            throw WorkloadError.invalidParameter(name: "length table", message: "expected lengths of at least 1")
        }
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        clampedZeroOutputRows = 0
    }

    /// Reads a length CSV (`num_prefill_tokens`, `num_decode_tokens`, other columns ignored).
    /// A malformed row throws naming the file and line; a 0 output length is clamped to 1 and counted.
    public init(csvPath path: String) throws {
        let lines = try LineReader.opening(path)
        guard try lines.advance() else {
            throw WorkloadError.malformedRow(
                path: path, line: 1, message: "expected a header line, found an empty file")
        }
        let indices = try CSVRow.columnIndices(of: Self.columns, inHeader: lines.line, path: path, line: 1)
        var row = CSVRow()
        var prompts: [Int] = []
        var outputs: [Int] = []
        var clamped = 0
        while try lines.advance() {
            if lines.line.isEmpty { continue }
            row.split(lines.line)
            var values: [Int] = []
            for (index, column) in zip(indices, Self.columns) {
                guard let field = row.field(index, of: lines.line), let value = ByteParsing.nonNegativeInteger(field)
                else {
                    let found = row.field(index, of: lines.line).map(ByteParsing.quoted) ?? "nothing"
                    throw WorkloadError.malformedRow(
                        path: path, line: lines.lineNumber,
                        message: "expected a non-negative integer in column \(column), found \(found)")
                }
                values.append(value)
            }
            guard values[0] > 0 else {
                throw WorkloadError.malformedRow(
                    path: path, line: lines.lineNumber,
                    message: "expected a positive integer in column num_prefill_tokens, found 0")
            }
            if values[1] == 0 { clamped += 1 }
            prompts.append(values[0])
            outputs.append(max(values[1], 1))
        }
        try self.init(promptTokens: prompts, outputTokens: outputs)
        clampedZeroOutputRows = clamped
    }

    /// Collects the lengths of every request of `source` (read to its end), e.g. an Azure trace.
    public init(collecting source: inout some RequestSource) throws {
        var prompts: [Int] = []
        var outputs: [Int] = []
        while let request = try source.next() {
            prompts.append(request.promptTokens)
            outputs.append(request.outputTokens)
        }
        try self.init(promptTokens: prompts, outputTokens: outputs)
    }

    /// Number of rows.
    public var count: Int { promptTokens.count }
    /// Mean prompt length.
    public var meanPromptTokens: Double { Double(promptTokens.reduce(0, +)) / Double(count) }
    /// Mean output length.
    public var meanOutputTokens: Double { Double(outputTokens.reduce(0, +)) / Double(count) }

    /// One row drawn uniformly.
    public func sample(using generator: inout SeededGenerator) -> (promptTokens: Int, outputTokens: Int) {
        let row = Int(generator.next() % UInt64(count))
        return (promptTokens[row], outputTokens[row])
    }
}
