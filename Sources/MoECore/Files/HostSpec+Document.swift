/// Reading a host entry of a catalog file.
extension HostSpec {
    static let documentKeys = [
        "key", "extends", "name", "device", "numa_nodes", "numa_distances", "device_numa_node", "device_pcie_switch",
        "nics", "inter_socket_bandwidth_gb_s", "scale_up", "source",
    ]

    /// Decodes the entry `fields` with key `key`, taking absent fields from `base` (the entry it extends).
    /// The layout is checked for consistency; the device key is checked by the catalog.
    init(key: String, fields: DocumentMapping, base: HostSpec?, file: String) throws {
        let indices = { (node: DocumentNode) in try node.list().map { try $0.integer(.nonNegative) } }
        self.init(
            key: key,
            name: try fields.value("name", inheriting: base?.name ?? key) { try $0.nonEmptyString() },
            deviceKey: try fields.value("device", inheriting: base?.deviceKey) { try $0.nonEmptyString() },
            numaNodes: try fields.value("numa_nodes", inheriting: base?.numaNodes) {
                try $0.nonEmptyList().map { try NUMANodeSpec(document: $0) }
            },
            numaDistances: try fields.value("numa_distances", inheriting: base?.numaDistances) {
                try $0.list().map { row in try row.list().map { try $0.integer(.positive) } }
            },
            deviceNUMANode: try fields.value("device_numa_node", inheriting: base?.deviceNUMANode, indices),
            devicePCIeSwitch: try fields.value("device_pcie_switch", inheriting: base?.devicePCIeSwitch, indices),
            nics: try fields.value("nics", inheriting: base?.nics) { try $0.list().map { try NICSpec(document: $0) } },
            interSocketBandwidth: try fields.value(
                "inter_socket_bandwidth_gb_s", inheriting: base?.interSocketBandwidth
            ) { .gigabytesPerSecond(try $0.number(.positive)) },
            scaleUp: try fields.value("scale_up", inheriting: base?.scaleUp) { try ScaleUpSpec(document: $0) },
            source: try fields.value("source", inheriting: base.map { "\($0.source); overridden in \(file)" } ?? file) {
                try $0.string()
            })
        if let problem = layoutProblem { throw fields.owner.error(problem) }
    }
}

extension NUMANodeSpec {
    /// Decodes `{socket, cpu_cores, memory_gb}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["socket", "cpu_cores", "memory_gb"])
        self.init(
            socket: try fields.required("socket").integer(.nonNegative),
            cpuCores: try fields.required("cpu_cores").integer(.positive),
            memory: .gigabytes(try fields.required("memory_gb").number(.positive)))
    }
}

extension NICSpec {
    /// Decodes `{bandwidth_gbit_s, numa_node, pcie_switch, serves_devices}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["bandwidth_gbit_s", "numa_node", "pcie_switch", "serves_devices"])
        self.init(
            bandwidth: .gigabitsPerSecond(try fields.required("bandwidth_gbit_s").number(.positive)),
            numaNode: try fields.required("numa_node").integer(.nonNegative),
            pcieSwitch: try fields.required("pcie_switch").integer(.nonNegative),
            servesDevices: try fields.required("serves_devices").nonEmptyList().map { try $0.integer(.nonNegative) })
    }
}

extension ScaleUpSpec {
    /// Decodes `{kind: nvlink|hccs|ub, domain_hosts}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["kind", "domain_hosts"])
        self.init(
            kind: try fields.required("kind").oneOf(ScaleUpKind.self),
            domainHosts: try fields.optional("domain_hosts")?.integer(.positive) ?? 1)
    }
}

extension FabricSpec {
    /// Decodes `{kind: infiniband|roce|ub, latency_us}`; an absent latency comes from `base`.
    public init(document: DocumentNode, base: FabricSpec?) throws {
        let fields = try document.mapping(keys: ["kind", "latency_us"])
        self.init(
            kind: try fields.value("kind", inheriting: base?.kind) { try $0.oneOf(FabricKind.self) },
            latency: try fields.value("latency_us", inheriting: base?.latency) {
                .microseconds(try $0.number(.nonNegative))
            })
    }
}
