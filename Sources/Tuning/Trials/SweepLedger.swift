import Foundation
import MoECore

/// The CSV a sweep streams its trials to, one row per configuration (its key values, then its metrics),
/// and reads back to resume: a configuration already in the file is not simulated again.
///
/// Every row starts with the sweep's fingerprint, a hash of what the figures depend on besides the
/// configuration (the scenario's text, the objectives, the seed), so that rows of another sweep are refused
/// rather than mixed in. Rows are appended as trials end, in completion order, and flushed at once; at the
/// end the file is rewritten in the sweep's own order, so a finished sweep's CSV is the same bytes however
/// its simulations interleaved. A last line cut short by an interruption is dropped (and counted).
///
/// Not thread-safe: the ``TrialRunner`` that owns it serializes every call.
public final class SweepLedger {
    /// Columns after the key columns.
    public static let metricColumns = [
        "status", "reason", "slo_attainment", "usd_per_million_output_tokens", "usd_per_million_input_tokens",
        "usd_total", "nodes", "arrived", "completed", "rejected", "failed", "median_ttft_ms", "p99_ttft_ms",
        "median_tpot_ms", "p99_tpot_ms", "output_throughput",
    ]

    /// The file.
    public let path: String
    /// The hash every row of this sweep starts with.
    public let fingerprint: String
    /// The key columns, in order.
    public let keyPaths: [String]
    /// Trials read back from the file when it was opened.
    public private(set) var resumedCount = 0
    /// Whether a last line cut short by an interruption was dropped.
    public private(set) var droppedPartialLine = false
    private var trials: [String: Trial] = [:]
    private var order: [String] = []
    private var handle: FileHandle?

    /// The header line's fields.
    public var header: [String] { ["sweep"] + keyPaths + Self.metricColumns }

    /// Opens (or creates) the ledger at `path` for a sweep over `keyPaths` with `fingerprint`.
    /// - Throws: ``TuningError/ledger(file:line:reason:)`` when the file has other columns, rows of another
    ///   sweep, or a row that does not parse.
    public init(path: String, fingerprint: String, keyPaths: [String]) throws {
        self.path = path
        self.fingerprint = fingerprint
        self.keyPaths = keyPaths
        if FileManager.default.fileExists(atPath: path) {
            try readBack()
        } else {
            try write(lines: [CSVLine.format(header)])
        }
        handle = FileHandle(forWritingAtPath: path)
        guard let handle else { throw TuningError.ledger(file: path, line: nil, reason: "cannot open for writing") }
        handle.seekToEndOfFile()
    }

    deinit { try? handle?.close() }

    /// The trial stored for `overrides`, if any.
    public func trial(for overrides: [ScenarioOverride]) -> Trial? { trials[overrides.identity] }

    /// Appends `trial` and flushes it to disk.
    /// - Throws: ``TuningError/ledger(file:line:reason:)`` when its keys are not the ledger's columns.
    public func record(_ trial: Trial) throws {
        let identity = trial.overrides.identity
        guard trials[identity] == nil else { return }
        let line = try row(trial)
        trials[identity] = trial
        order.append(identity)
        handle?.write(Data((CSVLine.format(line) + "\n").utf8))
        try? handle?.synchronize()
    }

    /// Rewrites the file with `first` (the sweep's own order) leading, then any other rows in file order.
    public func finish(first: [[ScenarioOverride]]) throws {
        var seen = Set<String>()
        var lines = [CSVLine.format(header)]
        for identity in first.map(\.identity) + order where !seen.contains(identity) {
            guard let trial = trials[identity] else { continue }
            seen.insert(identity)
            lines.append(CSVLine.format(try row(trial)))
        }
        try? handle?.close()
        handle = nil
        try write(lines: lines)
    }

    /// The hash of what a sweep's figures depend on besides the configuration: FNV-1a over the scenario's
    /// text and section, the objectives and the seed, as 16 hex digits.
    public static func fingerprint(of template: ScenarioTemplate) -> String {
        let parts = [
            template.text, template.section ?? "", template.slo.map(ServiceObjectives.text) ?? "",
            template.seed.map(String.init) ?? "",
        ]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1F}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: - Rows

    private func row(_ trial: Trial) throws -> [String] {
        let keys = trial.overrides.map(\.keyPath)
        guard keys == keyPaths else {
            throw TuningError.ledger(
                file: path, line: nil,
                reason:
                    "a trial sets \(keys.joined(separator: ", ")), the columns are \(keyPaths.joined(separator: ", "))")
        }
        var fields = [fingerprint] + trial.overrides.map(\.value)
        switch trial.outcome {
        case .infeasible(let reason):
            fields += ["infeasible", reason.replacingAll("\n", with: " ")]
            fields += Array(repeating: "", count: Self.metricColumns.count - 2)
        case .measured(let m):
            func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
            fields += [
                "measured", "", number(m.sloAttainment), number(m.usdPerMillionOutputTokens),
                number(m.usdPerMillionInputTokens), number(m.usdTotal), "\(m.nodes)", "\(m.arrived)", "\(m.completed)",
                "\(m.rejected)", "\(m.failed)", number(m.medianTTFTMilliseconds), number(m.p99TTFTMilliseconds),
                number(m.medianTPOTMilliseconds), number(m.p99TPOTMilliseconds), number(m.outputThroughput),
            ]
        }
        return fields
    }

    private func readBack() throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TuningError.ledger(file: path, line: nil, reason: "cannot read it back as UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" {
            lines.removeLast()
        } else if !lines.isEmpty {
            lines.removeLast()  // cut short by an interruption: its trial runs again
            droppedPartialLine = true
        }
        guard let first = lines.first, CSVLine.parse(first) == header else {
            throw TuningError.ledger(
                file: path, line: 1,
                reason: "its header is not this sweep's (\(CSVLine.format(header))); use another --csv or remove it")
        }
        for (offset, line) in lines.enumerated().dropFirst() {
            let trial = try parse(line, lineNumber: offset + 1)
            let identity = trial.overrides.identity
            if trials[identity] == nil { order.append(identity) }
            trials[identity] = trial
        }
        resumedCount = trials.count
        if droppedPartialLine { try write(lines: lines.map(String.init)) }
    }

    private func parse(_ line: Substring, lineNumber: Int) throws -> Trial {
        func fail(_ reason: String) -> TuningError { .ledger(file: path, line: lineNumber, reason: reason) }
        guard let fields = CSVLine.parse(line), fields.count == header.count else {
            throw fail("expected \(header.count) fields")
        }
        guard fields[0] == fingerprint else {
            throw fail(
                "written by another sweep (fingerprint \(fields[0]), this one \(fingerprint)): the scenario, --slo "
                    + "or --seed differ; use another --csv or remove the file")
        }
        let overrides = zip(keyPaths, fields[1...]).map { ScenarioOverride($0, $1) }
        let values = Array(fields[(1 + keyPaths.count)...])
        switch values[0] {
        case "infeasible": return Trial(overrides: overrides, outcome: .infeasible(reason: values[1]))
        case "measured":
            func double(_ index: Int) throws -> Double? {
                if values[index].isEmpty { return nil }
                guard let value = Double(values[index]) else {
                    throw fail("\(Self.metricColumns[index]): '\(values[index])' is not a number")
                }
                return value
            }
            func integer(_ index: Int) throws -> Int {
                guard let value = Int(values[index]) else {
                    throw fail("\(Self.metricColumns[index]): '\(values[index])' is not an integer")
                }
                return value
            }
            let metrics = TrialMetrics(
                sloAttainment: try double(2) ?? 0, usdPerMillionOutputTokens: try double(3),
                usdPerMillionInputTokens: try double(4), usdTotal: try double(5) ?? 0, nodes: try integer(6),
                arrived: try integer(7), completed: try integer(8), rejected: try integer(9), failed: try integer(10),
                medianTTFTMilliseconds: try double(11), p99TTFTMilliseconds: try double(12),
                medianTPOTMilliseconds: try double(13), p99TPOTMilliseconds: try double(14),
                outputThroughput: try double(15) ?? 0)
            return Trial(overrides: overrides, outcome: .measured(metrics))
        default: throw fail("status '\(values[0])' is neither measured nor infeasible")
        }
    }

    private func write(lines: [String]) throws {
        let data = Data(lines.map { $0 + "\n" }.joined().utf8)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TuningError.ledger(file: path, line: nil, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
