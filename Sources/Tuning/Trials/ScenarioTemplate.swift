import MoECore

/// A scenario document kept as text, from which variants are made: each variant is the document with
/// overrides applied by key path, decoded by the strict scenario reader, with the tuning run's SLO and seed.
///
/// Keeping text rather than a node tree keeps the template `Sendable`, so that simulations on every core
/// can make their own variants; parsing a scenario again costs well under a millisecond.
public struct ScenarioTemplate: Sendable {
    /// The file the document came from (relative paths in it are resolved against its folder).
    public let file: String
    /// The file's text.
    public let text: String
    /// The key path of the mapping holding the scenario (`baseline.scenario` in a cost-levers file), or nil
    /// when the whole document is the scenario.
    public let section: String?
    /// Objectives replacing the scenario's, when set.
    public var slo: ScenarioSLO?
    /// Seed replacing the scenario's, when set.
    public var seed: UInt64?

    /// A template over `text`, read from `file`; `section` names the mapping holding the scenario.
    public init(file: String, text: String, section: String? = nil, slo: ScenarioSLO? = nil, seed: UInt64? = nil) {
        self.file = file
        self.text = text
        self.section = section
        self.slo = slo
        self.seed = seed
    }

    /// A template over the scenario file at `path`.
    /// - Throws: ``MoECore/InputFileError`` when the file cannot be read.
    public static func load(file path: String) throws -> ScenarioTemplate {
        _ = try DocumentNode.load(file: path)  // the same checks and messages as Scenario.load
        return ScenarioTemplate(file: path, text: try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The scenario document with `overrides` applied in order.
    /// - Throws: ``MoECore/InputFileError`` naming the key path of a bad override.
    public func document(_ overrides: [ScenarioOverride]) throws -> DocumentNode {
        var document = try DocumentNode.parse(text, file: file)
        for key in section?.split(separator: ".").map(String.init) ?? [] {
            let path = document.keyPath.isEmpty ? key : "\(document.keyPath).\(key)"
            guard case .mapping(let mapping) = document.node, let node = mapping[key] else {
                throw InputFileError(file: file, keyPath: path, message: "missing required key")
            }
            document = DocumentNode(node: node, keyPath: path, file: file)
        }
        for override in overrides {
            document = try document.replacing(override.keyPath, withValueText: override.value)
        }
        return document
    }

    /// The scenario with `overrides` applied, decoded strictly, with the template's SLO and seed.
    /// - Throws: ``MoECore/InputFileError`` naming the file and key path of whatever does not decode.
    public func scenario(_ overrides: [ScenarioOverride]) throws -> Scenario {
        var scenario = try Scenario(document: document(overrides))
        if let slo { scenario.slo = slo }
        if let seed { scenario.seed = seed }
        return scenario
    }
}
