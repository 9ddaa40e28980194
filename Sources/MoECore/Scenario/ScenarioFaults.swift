/// What can fail in a run (the `faults` section): losses at given times, seeded random failures at given
/// mean times between failures, and how long repairs and restarts take.
///
/// Devices and nodes are numbered across the cluster: pool 0's first, then each further pool's, in file
/// order; a NIC is named by a device it serves.
public struct ScenarioFaults: Hashable, Sendable {
    /// What a fault takes out.
    public enum Target: Hashable, Sendable {
        /// A whole node: its devices and NICs.
        case node(Int)
        /// One device.
        case device(Int)
        /// The scale-out link (NIC) of a device.
        case nic(device: Int)
    }

    /// A loss at a given time.
    public struct Event: Hashable, Sendable {
        /// When, from the start.
        public var at: SimDuration
        /// What is lost.
        public var target: Target
        /// How long until it is repaired, or nil when it stays lost.
        public var repair: SimDuration?

        /// Creates an event.
        public init(at: SimDuration, target: Target, repair: SimDuration?) {
            self.at = at
            self.target = target
            self.repair = repair
        }
    }

    /// Losses at given times, in time order.
    public var events: [Event] = []
    /// Mean time between failures of one node, or nil for no random node failures.
    public var nodeMTBF: SimDuration?
    /// Mean time between failures of one device, or nil.
    public var deviceMTBF: SimDuration?
    /// Mean time between failures of one NIC, or nil.
    public var nicMTBF: SimDuration?
    /// Repair time of a random failure.
    public var repair: SimDuration = .seconds(3600)
    /// Time an instance hit by a fault takes to serve again: on its surviving devices when its layout allows,
    /// else at full size once repaired. Includes reloading weights [U].
    public var restart: SimDuration = .seconds(300)

    /// No faults.
    public init() {}

    /// Whether anything can fail.
    public var isEmpty: Bool { events.isEmpty && nodeMTBF == nil && deviceMTBF == nil && nicMTBF == nil }
}

extension ScenarioFaults {
    /// Decodes `{events: [{at_s, node | device | nic, repair_s}], node_mtbf_h, device_mtbf_h, nic_mtbf_h,
    /// repair_s, restart_s}` for a cluster of `nodes` nodes and `devices` devices.
    init(document: DocumentNode, nodes: Int, devices: Int) throws {
        let fields = try document.mapping(keys: [
            "events", "node_mtbf_h", "device_mtbf_h", "nic_mtbf_h", "repair_s", "restart_s",
        ])
        self.init()
        func hours(_ key: String) throws -> SimDuration? {
            try fields.optional(key).map { .seconds(try $0.number(.positive) * 3600) }
        }
        nodeMTBF = try hours("node_mtbf_h")
        deviceMTBF = try hours("device_mtbf_h")
        nicMTBF = try hours("nic_mtbf_h")
        if let node = fields.optional("repair_s") { repair = .seconds(try node.number(.positive)) }
        if let node = fields.optional("restart_s") { restart = .seconds(try node.number(.nonNegative)) }
        for entry in try fields.optional("events")?.list() ?? [] {
            let event = try entry.mapping(keys: ["at_s", "node", "device", "nic", "repair_s"])
            let at = SimDuration.seconds(try event.required("at_s").number(.nonNegative))
            let given = ["node", "device", "nic"].filter(event.contains)
            guard given.count == 1 else {
                throw entry.error("expected exactly one of node, device or nic; found \(given.count)")
            }
            let node = try event.required(given[0])
            let target: Target
            switch given[0] {
            case "node": target = .node(try node.integer(.range(0...(nodes - 1))))
            case "device": target = .device(try node.integer(.range(0...(devices - 1))))
            default: target = .nic(device: try node.integer(.range(0...(devices - 1))))
            }
            if let last = events.last, at < last.at {
                throw try event.required("at_s").mismatch(expected: "a time at or after the previous event's")
            }
            events.append(
                Event(
                    at: at, target: target,
                    repair: try event.optional("repair_s").map { .seconds(try $0.number(.positive)) }))
        }
    }
}
