import MoECore
import Yams

/// The levers file of `moeserve explain-cost` (`Simulations/cost-levers.yaml`): a baseline scenario, the
/// levers as scenario transformations, and the paths (waterfalls) that apply them in order.
///
/// ```yaml
/// min_attainment: 0.85           # optional; the attainment each step is sized to (default 0.9)
/// baseline:
///   title: Llama-3.1-405B BF16 on H100, static batches of 8, no prefix cache
///   source: ...
///   sizing: instances
///   scenario: { name: ..., model: llama-3.1-405b, ... }   # a whole scenario; its workload and SLO are every step's
/// levers:
///   - key: fp8
///     lever: FP8 weights
///     source: ...
///     set: { deployment.instances[0].weights: fp8 }
///   - key: night-nodes
///     lever: fewer nodes at night
///     pending: why it is listed but not simulated
/// paths:
///   - { name: h800, title: DeepSeek-V3 on H800, levers: [fp8, night-nodes] }
/// ```
///
/// Reading is strict like a scenario's: unknown keys, a lever named by a path but not defined, a lever
/// with neither `set` nor `pending` are errors naming the file, line and key path.
public struct CostLevers: Sendable {
    /// The baseline scenario (`baseline.scenario`), to which each path's levers apply.
    public var template: ScenarioTemplate
    /// What the baseline is.
    public var baselineTitle: String
    /// Where the baseline's settings come from.
    public var baselineSource: String
    /// How the baseline's cluster grows.
    public var baselineSizing: ClusterSizing
    /// The waterfalls, in file order.
    public var paths: [CostPath]
    /// The attainment each step is sized to, unless the command line says otherwise.
    public var minimumAttainment: Double

    /// Reads the levers file at `path`.
    /// - Throws: ``MoECore/InputFileError`` naming the file, line and key path of what is wrong.
    public static func load(file path: String) throws -> CostLevers {
        let root = try DocumentNode.load(file: path)
        let fields = try root.mapping(keys: ["min_attainment", "baseline", "levers", "paths"])
        let baseline = try fields.required("baseline").mapping(keys: ["title", "source", "sizing", "scenario"])
        _ = try baseline.required("scenario")
        var levers: [String: CostLever] = [:]
        for node in try fields.required("levers").nonEmptyList() {
            let lever = try Self.lever(node)
            if levers[lever.key] != nil { throw node.error("lever '\(lever.key)' is defined twice") }
            levers[lever.key] = lever
        }
        let paths = try fields.required("paths").nonEmptyList().map { node -> CostPath in
            let path = try node.mapping(keys: ["name", "title", "levers"])
            let keys = try path.required("levers").nonEmptyList()
            return CostPath(
                name: try path.required("name").nonEmptyString(), title: try path.required("title").nonEmptyString(),
                levers: try keys.map { key in
                    let name = try key.nonEmptyString()
                    guard let lever = levers[name] else {
                        throw key.error("no lever '\(name)'; defined: \(levers.keys.sorted().joined(separator: ", "))")
                    }
                    return lever
                })
        }
        return CostLevers(
            template: ScenarioTemplate(
                file: path, text: try String(contentsOfFile: path, encoding: .utf8), section: "baseline.scenario"),
            baselineTitle: try baseline.required("title").nonEmptyString(),
            baselineSource: try baseline.required("source").nonEmptyString(),
            baselineSizing: try baseline.optional("sizing")?.oneOf(ClusterSizing.self) ?? .instances, paths: paths,
            minimumAttainment: try fields.optional("min_attainment")?.number(.fraction)
                ?? SweepObjective.defaultMinimumAttainment)
    }

    private static func lever(_ node: DocumentNode) throws -> CostLever {
        let fields = try node.mapping(keys: ["key", "lever", "source", "set", "sizing", "pending"])
        var overrides: [ScenarioOverride] = []
        if let set = fields.optional("set") {
            overrides = try set.dictionary().map { key, value in ScenarioOverride(key, try yamlText(value)) }
        }
        let pending = try fields.optional("pending")?.nonEmptyString()
        if overrides.isEmpty, pending == nil, fields.optional("sizing") == nil {
            throw node.error("a lever needs 'set' (its overrides), 'sizing', or 'pending' (why it cannot run yet)")
        }
        return CostLever(
            key: try fields.required("key").nonEmptyString(), title: try fields.required("lever").nonEmptyString(),
            source: try fields.required("source").nonEmptyString(), overrides: overrides,
            sizing: try fields.optional("sizing")?.oneOf(ClusterSizing.self), pending: pending)
    }

    /// A value of the levers file as YAML text an override can carry: a scalar as written (quoted again if
    /// it was quoted), a mapping or list serialized.
    static func yamlText(_ node: DocumentNode) throws -> String {
        if case .scalar(let scalar) = node.node {
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: return "\"\(scalar.string.replacingAll("\"", with: "\\\""))\""
            default: return scalar.string
            }
        }
        do {
            return try Yams.serialize(node: node.node)
        } catch {
            throw node.error("cannot be written back as YAML: \(error)")
        }
    }
}
