import MoECore

/// Bad input to a tuning command: each case names the option, key or file and says what was expected.
public enum TuningError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A `--vary` argument that is not `KEY=V1,V2,...`, or repeats a key.
    case malformedVary(argument: String, reason: String)
    /// A `--vary` value that gives no decodable scenario with any of the other values.
    case invalidValue(option: String, keyPath: String, value: String, error: String)
    /// A `--slo` argument that is not `ttft=2s,tpot=50ms`.
    case malformedSLO(argument: String, reason: String)
    /// No objective to judge attainment by.
    case noObjectives(scenario: String)
    /// A sweep CSV that belongs to another sweep or cannot be read back.
    case ledger(file: String, line: Int?, reason: String)
    /// Any other option value out of range.
    case invalidOption(option: String, reason: String)

    public var description: String {
        switch self {
        case .malformedVary(let argument, let reason): "--vary '\(argument)': \(reason)"
        case .invalidValue(let option, let keyPath, let value, let error):
            "\(option) \(keyPath)=\(value): no configuration with this value is a valid scenario: \(error)"
        case .malformedSLO(let argument, let reason):
            "--slo '\(argument)': \(reason); expected ttft=DURATION,tpot=DURATION such as ttft=2s,tpot=50ms"
        case .noObjectives(let scenario):
            "\(scenario): no latency objectives to measure attainment against; give --slo ttft=2s,tpot=50ms "
                + "or set slo.ttft_ms / slo.tpot_ms in the scenario"
        case .ledger(let file, let line, let reason): "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case .invalidOption(let option, let reason): "\(option): \(reason)"
        }
    }
}
