import MoECore

/// One change to a scenario document: the value at a key path, as YAML text (`scheduler.max_num_seqs`
/// = `128`). A sweep configuration, a capacity size and a cost lever are each a list of overrides, applied
/// in order to the same base document and then decoded by the strict scenario reader.
public struct ScenarioOverride: Sendable, Hashable {
    /// Where the value goes, relative to the scenario (`deployment.instances[0].ep`).
    public var keyPath: String
    /// The value as YAML text: `8192`, `fp8`, `true`, `{input_tokens: 1024, output_tokens: 256}`.
    public var value: String

    /// Creates an override.
    public init(_ keyPath: String, _ value: String) {
        self.keyPath = keyPath
        self.value = value
    }

    /// `key=value`, as on the command line.
    public var text: String { "\(keyPath)=\(value)" }
}

extension [ScenarioOverride] {
    /// The overrides as one string that identifies them (the key of a trial in caches and ledgers).
    public var identity: String { map(\.text).joined(separator: "; ") }

    /// The overrides with later values of the same key path replacing earlier ones, in first-seen order.
    public var collapsed: [ScenarioOverride] {
        var order: [String] = []
        var values: [String: String] = [:]
        for override in self {
            if values[override.keyPath] == nil { order.append(override.keyPath) }
            values[override.keyPath] = override.value
        }
        return order.map { ScenarioOverride($0, values[$0]!) }
    }
}
