import MoECore

/// One cluster size a capacity search may try: its node count and the overrides that make it.
public struct ClusterSize: Sendable, Hashable {
    /// Nodes in the cluster (all of them paid for).
    public var nodes: Int
    /// The overrides setting it (instance count or layout, and `cluster.nodes`).
    public var overrides: [ScenarioOverride]

    /// Creates a size.
    public init(nodes: Int, overrides: [ScenarioOverride]) {
        self.nodes = nodes
        self.overrides = overrides
    }
}

/// How a deployment grows with its cluster, for capacity planning.
public enum ClusterSizing: String, Sendable, Hashable, CaseIterable {
    /// More instances of the same layout (the first instance group's `count`); `cluster.nodes` follows.
    case instances
    /// One instance spanning the whole cluster, its attention data-parallel ranks and expert parallelism over
    /// every device (DeepSeek's large-EP layout): sizes whose EP does not divide the routed plus redundant
    /// experts are skipped.
    case spanning

    /// The key paths a size sets, in order (the capacity columns of a sweep's CSV).
    public var keyPaths: [String] {
        switch self {
        case .instances: ["deployment.instances[0].count", "cluster.nodes"]
        case .spanning:
            [
                "deployment.instances[0].count", "deployment.instances[0].devices_per_instance",
                "deployment.instances[0].attention_dp", "deployment.instances[0].ep", "cluster.nodes",
            ]
        }
    }

    /// The sizes of the scenario `overrides` make from `template`, smallest first, up to `maximumNodes`:
    /// each node count once (with as many instances as fit on it).
    /// - Throws: ``MoECore/InputFileError`` when the scenario does not decode; ``TuningError`` when it has
    ///   several instance groups, or `spanning` is asked of a dense model.
    public func sizes(
        of template: ScenarioTemplate, overrides: [ScenarioOverride], maximumNodes: Int
    ) throws -> [ClusterSize] {
        let scenario = try template.scenario(overrides)
        guard scenario.deployment.count == 1 else {
            throw TuningError.invalidOption(
                option: "--min-nodes",
                reason: "\(scenario.file) has \(scenario.deployment.count) instance groups; capacity planning scales "
                    + "one group (prefill/decode splits come with disaggregation)")
        }
        let group = scenario.deployment[0]
        let perHost = scenario.host.deviceCount
        var sizes: [ClusterSize] = []
        switch self {
        case .instances:
            var count = 1
            while true {
                let nodes = (count * group.devicesPerInstance + perHost - 1) / perHost
                guard nodes <= maximumNodes else { break }
                let size = ClusterSize(
                    nodes: nodes, overrides: zip(keyPaths, ["\(count)", "\(nodes)"]).map(ScenarioOverride.init))
                if sizes.last?.nodes == nodes { sizes[sizes.count - 1] = size } else { sizes.append(size) }
                count += 1
            }
        case .spanning:
            guard scenario.model.moe != nil else {
                throw TuningError.invalidOption(
                    option: "--scale spanning",
                    reason: "model \(scenario.model.key) is dense; it has no experts to spread")
            }
            for nodes in 1...max(maximumNodes, 1) {
                let devices = nodes * perHost
                guard devices % group.attentionTP == 0 else { continue }
                let values = ["1", "\(devices)", "\(devices / group.attentionTP)", "\(devices)", "\(nodes)"]
                let size = ClusterSize(nodes: nodes, overrides: zip(keyPaths, values).map(ScenarioOverride.init))
                if (try? template.scenario(overrides + size.overrides)) != nil { sizes.append(size) }
            }
        }
        return sizes
    }
}
