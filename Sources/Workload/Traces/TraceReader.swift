import MoECore

/// Replays a trace file as a ``RequestSource``, streaming it line by line.
///
/// The concrete readers (``AzureTraceReader``, ``MooncakeTraceReader``, ``VidurTraceReader``) only
/// choose how a line is decoded; this class owns what they share: numbering requests 0, 1, 2, … in
/// file order, making arrivals relative to the file's first timestamp, rejecting rows that go back in
/// time, clamping 0-token outputs, skipping bad rows when asked, and spreading quantized timestamps.
///
/// Rows with 0 output tokens are replayed with 1 output token (a request must generate at least one
/// token to complete) and counted in ``clampedZeroOutputRows``; dropping them would lose their prefill.
/// Empty lines carry no request and are ignored.
///
/// Memory stays flat: the reader holds one 64 KiB read buffer and, when spreading, the requests of one
/// timestamp (``peakBufferedRequests`` reports the most it held; at most ``maximumSlotGroup``).
public class TraceReader: RequestSource {
    /// The file being read.
    public let path: String
    /// How bad rows and quantized timestamps are treated.
    public let options: TraceReaderOptions
    /// Malformed rows skipped so far (only with `options.skipBadRows`).
    public private(set) var skippedRows = 0
    /// The errors of the first ``keptSkipErrors`` skipped rows, for a report.
    public private(set) var skippedRowErrors: [WorkloadError] = []
    /// Rows whose output length was 0 and was replayed as 1.
    public private(set) var clampedZeroOutputRows = 0
    /// The most requests the reader has held at once (the slot being spread).
    public private(set) var peakBufferedRequests = 0

    /// How many skipped-row errors are kept in ``skippedRowErrors``.
    public static let keptSkipErrors = 20
    /// The most requests that may share one timestamp when spreading; more is an error, not a memory blow-up.
    public static let maximumSlotGroup = 1 << 16

    private let lines: LineReader
    private var decoder: any TraceRowDecoding
    private let slotWidth: Int64?
    private var generator: SeededGenerator
    private var headerRead = false
    private var firstTimestamp: Int64?
    private var previousTimestamp = Int64.min
    private var nextID: UInt64 = 0
    /// Requests decoded but not yet returned (one timestamp's group when spreading).
    private var pending: [RequestSpec] = []
    private var pendingIndex = 0
    /// The first row of the next group, read to learn where the current group's slot ends.
    private var lookahead: TraceRow?

    init(path: String, decoder: any TraceRowDecoding, options: TraceReaderOptions) throws {
        self.path = path
        self.options = options
        self.decoder = decoder
        lines = try LineReader.opening(path)
        switch options.slotSpreading {
        case .formatDefault: slotWidth = decoder.defaultSlotWidth
        case .off: slotWidth = nil
        case .within(let width):
            guard width > .zero else {
                throw WorkloadError.invalidParameter(name: "slot spreading width", message: "must be positive")
            }
            slotWidth = width.nanoseconds
        }
        generator = SeededGenerator(seed: options.seed)
    }

    /// The next request in file order, or nil at the end of the file.
    public func next() throws -> RequestSpec? {
        if pendingIndex < pending.count {
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
        guard let slotWidth else {
            guard let row = try nextRow() else { return nil }
            return makeRequest(row, offset: 0)
        }
        try fillGroup(slotWidth: slotWidth)
        guard !pending.isEmpty else { return nil }
        pendingIndex = 1
        return pending[0]
    }

    /// Reads every row sharing the next timestamp into `pending`, spreading them over their slot.
    private func fillGroup(slotWidth: Int64) throws {
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
        guard let first = try lookahead ?? nextRow() else { return }
        lookahead = nil
        var group = [first]
        while let row = try nextRow() {
            if row.timestamp != first.timestamp {
                lookahead = row
                break
            }
            guard group.count < Self.maximumSlotGroup else {
                throw WorkloadError.malformedRow(
                    path: path, line: lines.lineNumber,
                    message: "expected at most \(Self.maximumSlotGroup) requests per timestamp when spreading slots, "
                        + "found more; read with slotSpreading: .off")
            }
            group.append(row)
        }
        let span = min(slotWidth, (lookahead?.timestamp ?? Int64.max) - first.timestamp)
        var offsets = [Int64](repeating: 0, count: group.count)
        if group.count > 1 {
            offsets = (0..<group.count).map { _ in Int64(generator.nextUnitDouble() * Double(span)) }.sorted()
        }
        for (row, offset) in zip(group, offsets) { pending.append(makeRequest(row, offset: offset)) }
        peakBufferedRequests = max(peakBufferedRequests, pending.count + (lookahead == nil ? 0 : 1))
    }

    private func makeRequest(_ row: TraceRow, offset: Int64) -> RequestSpec {
        let origin = firstTimestamp ?? row.timestamp
        firstTimestamp = origin
        defer { nextID += 1 }
        return RequestSpec(
            id: RequestID(nextID), arrival: SimTime(nanosecondsSinceStart: row.timestamp - origin + offset),
            promptTokens: row.promptTokens, outputTokens: row.outputTokens,
            prefixBlockHashes: row.prefixBlockHashes, prefixBlockTokens: row.prefixBlockTokens)
    }

    /// The next well-formed row, after skipping (or throwing on) bad ones.
    private func nextRow() throws -> TraceRow? {
        while try lines.advance() {
            if lines.line.isEmpty { continue }
            if decoder.hasHeader && !headerRead {
                headerRead = true
                try decoder.readHeader(lines.line, path: path, lineNumber: lines.lineNumber)
                continue
            }
            do throws(RowProblem) {
                var row = try decoder.decode(lines.line)
                guard row.timestamp >= previousTimestamp else {
                    throw RowProblem(
                        message: "expected arrivals in nondecreasing order, found a timestamp earlier "
                            + "than the previous row's by \(SimDuration(nanoseconds: previousTimestamp - row.timestamp))"
                    )
                }
                previousTimestamp = row.timestamp
                if row.outputTokens == 0 {
                    row.outputTokens = 1
                    clampedZeroOutputRows += 1
                }
                return row
            } catch {
                let failure = WorkloadError.malformedRow(path: path, line: lines.lineNumber, message: error.message)
                guard options.skipBadRows else { throw failure }
                skippedRows += 1
                if skippedRowErrors.count < Self.keptSkipErrors { skippedRowErrors.append(failure) }
            }
        }
        if decoder.hasHeader && !headerRead {
            throw WorkloadError.malformedRow(
                path: path, line: 1, message: "expected a header line, found an empty file")
        }
        return nil
    }
}
