import Foundation

/// One 600 s window of one ServeGen client: its mean rate and fitted inter-arrival family.
struct ServeGenWindow: Hashable, Sendable {
    /// The fitted inter-arrival family; its scale is re-derived from the window's rate.
    enum Family: Hashable, Sendable {
        /// Gamma with shape k.
        case gamma(shape: Double)
        /// Weibull with shape c.
        case weibull(shape: Double)
    }

    /// Window start, nanoseconds since the start of the released span.
    var start: Int64
    /// Mean requests per second in the window (0: the client was idle).
    var rate: Double
    /// Inter-arrival family (nil exactly when the rate is 0).
    var family: Family?

    /// Reads a client's `chunk-N-trace.csv[.gz]`: `start,rate,cv,family,param1,param2` per line, no header.
    static func readAll(path: String) throws -> [ServeGenWindow] {
        let lines = try LineReader.opening(path)
        var row = CSVRow()
        var windows: [ServeGenWindow] = []
        while try lines.advance() {
            if lines.line.isEmpty { continue }
            row.split(lines.line)
            func fail(_ message: String) -> WorkloadError {
                .malformedRow(path: path, line: lines.lineNumber, message: message)
            }
            func number(_ column: Int, _ name: String) throws -> Double {
                guard let field = row.field(column, of: lines.line) else {
                    throw fail("expected 6 comma-separated columns, found \(row.fields.count)")
                }
                guard let value = ByteParsing.double(field), value >= 0 else {
                    throw fail(
                        "expected a non-negative number in column \(column + 1) (\(name)), "
                            + "found \(ByteParsing.quoted(field))")
                }
                return value
            }
            let start = try number(0, "window start")
            let rate = try number(1, "rate")
            let familyName = String(decoding: row.field(3, of: lines.line) ?? [], as: UTF8.self)
            var family: Family?
            if rate > 0 {
                let shape = try number(4, "shape")
                guard shape > 0 else { throw fail("expected a positive shape in column 5, found 0") }
                switch familyName {
                case "Gamma": family = .gamma(shape: shape)
                case "Weibull": family = .weibull(shape: shape)
                default:
                    throw fail(
                        "expected Gamma or Weibull in column 4 for a window with rate \(rate), "
                            + "found \"\(familyName)\"")
                }
            }
            let startNanoseconds = Int64((start * 1e9).rounded())
            if let previous = windows.last, startNanoseconds <= previous.start {
                throw fail(
                    "expected window starts in increasing order, found \(start) after "
                        + "\(Double(previous.start) / 1e9)")
            }
            windows.append(ServeGenWindow(start: startNanoseconds, rate: rate, family: family))
        }
        guard !windows.isEmpty else {
            throw WorkloadError.malformedRow(path: path, line: 1, message: "expected at least one window, found none")
        }
        return windows
    }
}
