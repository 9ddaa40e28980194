/// Which logical expert each physical expert slot holds, per MoE layer, and how a logical expert's
/// tokens split between its replicas.
///
/// Physical slot `s` lives on device `s / slotsPerDevice` (devices numbered as in the topology's
/// expert-parallel group). With redundant experts, `devices * slotsPerDevice` exceeds the number of
/// logical experts and hot experts hold several slots.
public struct ExpertPlacement: Hashable, Sendable {
    /// Devices in the expert-parallel group.
    public let devices: Int
    /// Physical expert slots per device.
    public let slotsPerDevice: Int
    /// Logical experts per layer.
    public let experts: Int
    /// Per MoE layer, the logical expert of each physical slot.
    public private(set) var physicalToLogical: [[Int]]
    /// Per MoE layer, the share of its logical expert's tokens each physical slot takes (the shares of
    /// one expert's replicas sum to 1).
    public private(set) var slotShares: [[Double]]

    /// Creates a placement; replicas of an expert split its tokens evenly unless `slotShares` is given.
    /// - Precondition: every layer maps `devices * slotsPerDevice` slots and covers every expert.
    public init(
        devices: Int, slotsPerDevice: Int, experts: Int, physicalToLogical: [[Int]], slotShares: [[Double]]? = nil
    ) {
        precondition(devices > 0 && slotsPerDevice > 0, "placement needs devices and slots")
        for map in physicalToLogical {
            precondition(
                map.count == devices * slotsPerDevice,
                "a layer maps \(map.count) slots, expected \(devices * slotsPerDevice)")
            precondition(Set(map) == Set(0..<experts), "a layer does not cover experts 0..<\(experts) exactly")
        }
        self.devices = devices
        self.slotsPerDevice = slotsPerDevice
        self.experts = experts
        self.physicalToLogical = physicalToLogical
        self.slotShares = slotShares ?? physicalToLogical.map(Self.evenShares)
    }

    /// The placement without any planning: slot `s` holds expert `s % experts`, so experts sit on
    /// devices in contiguous blocks and the extra slots replicate experts 0, 1, 2, ... in order.
    public static func contiguous(layers: Int, experts: Int, devices: Int, slotsPerDevice: Int) -> ExpertPlacement {
        precondition(
            devices * slotsPerDevice >= experts, "\(devices) x \(slotsPerDevice) slots cannot hold \(experts) experts")
        let map = (0..<(devices * slotsPerDevice)).map { $0 % experts }
        return ExpertPlacement(
            devices: devices, slotsPerDevice: slotsPerDevice, experts: experts,
            physicalToLogical: Array(repeating: map, count: layers))
    }

    /// MoE layers covered.
    public var layers: Int { physicalToLogical.count }

    /// Tokens each device receives in `layer` when the logical experts carry `loads`.
    public func deviceLoads(layer: Int, loads: ArraySlice<Double>) -> [Double] {
        var perDevice = [Double](repeating: 0, count: devices)
        let base = loads.startIndex
        for (slot, expert) in physicalToLogical[layer].enumerated() {
            perDevice[slot / slotsPerDevice] += loads[base + expert] * slotShares[layer][slot]
        }
        return perDevice
    }

    private static func evenShares(_ map: [Int]) -> [Double] {
        var replicas = [Int: Int]()
        for expert in map { replicas[expert, default: 0] += 1 }
        return map.map { 1 / Double(replicas[$0]!) }
    }
}
