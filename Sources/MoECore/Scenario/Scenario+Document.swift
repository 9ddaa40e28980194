import Foundation

/// Decoding a scenario document and checking it against the catalog.
extension Scenario {
    static let documentKeys = [
        "name", "seed", "model", "catalog", "cluster", "deployment", "scheduler", "router", "workload", "slo",
        "prices", "expert_load",
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

        let clusterNode = try fields.required("cluster")
        let clusterFields = try clusterNode.mapping(keys: ["host", "nodes", "fabric"])
        let hostNode = try clusterFields.required("host")
        let hostKey = try hostNode.nonEmptyString()
        guard let host = catalog.host(hostKey) else {
            throw hostNode.error(
                "unknown host '\(hostKey)'; known hosts: \(catalog.hosts.map(\.key).joined(separator: ", "))")
        }
        let nodes = try clusterFields.required("nodes").integer(.positive)
        let defaultFabric = Catalog.defaultFabric(for: host)
        cluster = ClusterSpec(
            key: "\(nodes)x-\(hostKey)", hostKey: hostKey, hosts: nodes,
            fabric: try clusterFields.optional("fabric").map { try FabricSpec(document: $0, base: defaultFabric) }
                ?? defaultFabric)
        self.host = host

        let prices =
            try fields.optional("prices").map { try ScenarioPrices(document: $0, catalog: catalog) }
            ?? ScenarioPrices()
        self.prices = prices
        guard var device = catalog.device(host.deviceKey) else {
            throw hostNode.error("host '\(hostKey)' names device '\(host.deviceKey)', which is not in the catalog")
        }
        if let price = prices.devicePricePerHour[device.key] { device.pricePerHour = price }
        self.device = device

        let deploymentNode = try fields.required("deployment")
        let instances = try deploymentNode.mapping(keys: ["instances"]).required("instances").nonEmptyList()
        deployment = try instances.map { try InstanceGroupSpec(document: $0, model: model, host: host) }
        scheduler = try fields.optional("scheduler").map { try ScenarioScheduler(document: $0) } ?? ScenarioScheduler()
        router = try fields.optional("router")?.oneOf(RouterKind.self) ?? .leastOutstandingWork
        workload = try ScenarioWorkload(document: try fields.required("workload"), directory: directory)
        slo = try fields.optional("slo").map { try ScenarioSLO(document: $0) } ?? ScenarioSLO()
        expertLoad = .balanced
        if let load = fields.optional("expert_load") {
            let value = try load.nonEmptyString()
            expertLoad = value == "balanced" ? .balanced : .file(path: resolvePath(value, against: directory))
        }
        try checkDeployment(deploymentNode, instances: instances)
    }

    /// Checks the deployment as a whole: the roles pair up and the devices fit in the cluster.
    private func checkDeployment(_ node: DocumentNode, instances: [DocumentNode]) throws {
        let roles = Set(deployment.map(\.role))
        if roles.contains(.colocated), roles.count > 1 {
            throw node.error("mixes colocated with prefill/decode instances; use one or the other")
        }
        if roles.contains(.prefill) != roles.contains(.decode) {
            throw node.error("disaggregated serving needs both prefill and decode instances")
        }
        if deployedDevices > clusterDevices {
            throw node.error(
                "the instances use \(deployedDevices) devices but the cluster has \(clusterDevices) "
                    + "(\(cluster.hosts) x \(host.deviceCount)); raise cluster.nodes or lower the counts")
        }
    }
}
