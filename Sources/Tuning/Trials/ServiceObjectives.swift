import MoECore

/// The `--slo` option: `ttft=2s,tpot=50ms` as the objectives every configuration is judged against.
public enum ServiceObjectives {
    /// The objectives in `text`: comma-separated `ttft=` and `tpot=` durations with a unit (`s`, `ms`, `us`).
    /// - Throws: ``TuningError/malformedSLO(argument:reason:)`` naming the part that is wrong.
    public static func parse(_ text: String) throws -> ScenarioSLO {
        var slo = ScenarioSLO()
        func fail(_ reason: String) -> TuningError { .malformedSLO(argument: text, reason: reason) }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { throw fail("'\(part)' is not NAME=DURATION") }
            guard let duration = duration(String(pieces[1])) else {
                throw fail("'\(pieces[1])' is not a duration with a unit (s, ms or us)")
            }
            switch pieces[0] {
            case "ttft" where slo.ttft == nil: slo.ttft = duration
            case "tpot" where slo.tpot == nil: slo.tpot = duration
            case "ttft", "tpot": throw fail("'\(pieces[0])' is given twice")
            default: throw fail("unknown objective '\(pieces[0])' (known: ttft, tpot)")
            }
        }
        return slo
    }

    /// `2s`, `50ms` or `800us` as a duration; nil when not a positive number with one of those units.
    static func duration(_ text: String) -> SimDuration? {
        for (unit, scale) in [("ms", 1e-3), ("us", 1e-6), ("s", 1.0)] where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value > 0, value.isFinite else { return nil }
            return .seconds(value * scale)
        }
        return nil
    }

    /// `ttft=2s,tpot=50ms` for `slo` (the form `parse` reads), objectives in milliseconds.
    public static func text(_ slo: ScenarioSLO) -> String {
        var parts: [String] = []
        if let ttft = slo.ttft { parts.append("ttft=\(Self.number(ttft.milliseconds))ms") }
        if let tpot = slo.tpot { parts.append("tpot=\(Self.number(tpot.milliseconds))ms") }
        return parts.joined(separator: ",")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
