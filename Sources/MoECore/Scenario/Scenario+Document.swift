import Foundation

/// Decoding a scenario document and checking it against the catalog.
extension Scenario {
    static let documentKeys = [
        "name", "seed", "model", "catalog", "cluster", "deployment", "scheduler", "router", "decode_router",
        "workload", "slo", "prices", "expert_load", "context_cache", "expert_rebalancing", "faults",
    ]

    /// Decodes and checks a parsed scenario document; relative paths are resolved against the
    /// document's folder.
    public init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: Self.documentKeys)
        let directory = URL(fileURLWithPath: document.file).deletingLastPathComponent().path
        file = document.file
        name = try fields.required("name").nonEmptyString()
        seed = UInt64(try fields.optional("seed")?.integer(.nonNegative) ?? 0)

        let catalogFiles = try (fields.optional("catalog")?.list() ?? []).map {
            resolvePath(try $0.nonEmptyString(), against: directory)
        }
        let catalog = try Catalog.loading(files: catalogFiles)
        self.catalog = catalog

        let modelNode = try fields.required("model")
        let modelKey = try modelNode.nonEmptyString()
        guard let model = catalog.model(modelKey) else {
            throw modelNode.error(
                "unknown model '\(modelKey)'; known models: \(catalog.models.map(\.key).joined(separator: ", "))")
        }
        self.model = model

        let prices =
            try fields.optional("prices").map { try ScenarioPrices(document: $0, catalog: catalog) }
            ?? ScenarioPrices()
        self.prices = prices
        let clusterFields = try fields.required("cluster").mapping(keys: ["host", "nodes", "fabric", "pools"])
        let main = try Self.pool(clusterFields, name: ScenarioPool.mainName, catalog: catalog, prices: prices)
        var pools = [main]
        for entry in try clusterFields.optional("pools")?.list() ?? [] {
            let poolFields = try entry.mapping(keys: ["name", "host", "nodes", "fabric"])
            let nameNode = try poolFields.required("name")
            let name = try nameNode.nonEmptyString()
            if pools.contains(where: { $0.name == name }) {
                throw nameNode.error("pool name '\(name)' is already taken (pool 0 is '\(ScenarioPool.mainName)')")
            }
            pools.append(try Self.pool(poolFields, name: name, catalog: catalog, prices: prices))
        }
        self.pools = pools
        cluster = main.cluster
        host = main.host
        device = main.device

        let deploymentNode = try fields.required("deployment")
        let instances = try deploymentNode.mapping(keys: ["instances"]).required("instances").nonEmptyList()
        deployment = try instances.map { try InstanceGroupSpec(document: $0, model: model, pools: pools) }
        scheduler = try fields.optional("scheduler").map { try ScenarioScheduler(document: $0) } ?? ScenarioScheduler()
        let disaggregated = deployment.contains { $0.role != .colocated }
        router =
            try fields.optional("router")?.oneOf(RouterKind.self)
            ?? (disaggregated ? .prefillBalance : .leastOutstandingWork)
        decodeRouter = .decodeBalance
        if let node = fields.optional("decode_router") {
            guard disaggregated else { throw node.error("decode_router needs prefill and decode instances") }
            decodeRouter = try node.oneOf(RouterKind.self)
        }
        contextCache = try fields.optional("context_cache").map { try ScenarioContextCache(document: $0) }
        faults = ScenarioFaults()
        workload = try ScenarioWorkload(document: try fields.required("workload"), directory: directory)
        slo = try fields.optional("slo").map { try ScenarioSLO(document: $0) } ?? ScenarioSLO()
        expertLoad = .balanced
        if let load = fields.optional("expert_load") {
            let value = try load.nonEmptyString()
            expertLoad = value == "balanced" ? .balanced : .file(path: resolvePath(value, against: directory))
        }
        if let node = fields.optional("expert_rebalancing") {
            guard model.moe != nil else { throw node.error("model \(model.key) is dense: it has no experts to move") }
            rebalancing = try ScenarioRebalancing(document: node)
        }
        if let node = fields.optional("faults") {
            faults = try ScenarioFaults(document: node, nodes: clusterNodes, devices: clusterDevices)
        }
        try checkDeployment(deploymentNode, instances: instances)
    }

    /// A pool from its `{host, nodes, fabric}` fields, its device priced by `prices`.
    private static func pool(_ fields: DocumentMapping, name: String, catalog: Catalog, prices: ScenarioPrices)
        throws -> ScenarioPool
    {
        let hostNode = try fields.required("host")
        let hostKey = try hostNode.nonEmptyString()
        guard let host = catalog.host(hostKey) else {
            throw hostNode.error(
                "unknown host '\(hostKey)'; known hosts: \(catalog.hosts.map(\.key).joined(separator: ", "))")
        }
        let nodes = try fields.required("nodes").integer(.positive)
        let defaultFabric = Catalog.defaultFabric(for: host)
        let cluster = ClusterSpec(
            key: "\(nodes)x-\(hostKey)", hostKey: hostKey, hosts: nodes,
            fabric: try fields.optional("fabric").map { try FabricSpec(document: $0, base: defaultFabric) }
                ?? defaultFabric)
        guard var device = catalog.device(host.deviceKey) else {
            throw hostNode.error("host '\(hostKey)' names device '\(host.deviceKey)', which is not in the catalog")
        }
        if let price = prices.devicePricePerHour[device.key] { device.pricePerHour = price }
        return ScenarioPool(name: name, cluster: cluster, host: host, device: device)
    }

    /// Checks the deployment as a whole: the roles pair up and each pool's instances fit in its devices.
    private func checkDeployment(_ node: DocumentNode, instances: [DocumentNode]) throws {
        let roles = Set(deployment.map(\.role))
        if roles.contains(.colocated), roles.count > 1 {
            throw node.error("mixes colocated with prefill/decode instances; use one or the other")
        }
        if roles.contains(.prefill) != roles.contains(.decode) {
            throw node.error("disaggregated serving needs both prefill and decode instances")
        }
        for (index, pool) in pools.enumerated() {
            let used = deployment.filter { $0.pool == index }.reduce(0) { $0 + $1.totalDevices }
            guard used > pool.devices else { continue }
            let nodesKey = index == 0 ? "cluster.nodes" : "cluster.pools[\(index - 1)].nodes"
            let instances = pools.count == 1 ? "the instances" : "the instances on pool '\(pool.name)'"
            let owner = pools.count == 1 ? "the cluster" : "the pool"
            throw node.error(
                "\(instances) use \(used) devices but \(owner) has \(pool.devices) "
                    + "(\(pool.cluster.hosts) x \(pool.host.deviceCount)); raise \(nodesKey) or lower the counts")
        }
    }
}
