import MoECore

/// One MoE layer's placement while it is being planned: the logical expert in every physical slot
/// and the share of that expert's tokens the slot takes, in contiguous arrays (slot `s` lives on
/// device `s / slotsPerDevice`).
///
/// The algorithms work on this flat value; ``ExpertPlacement`` stores one per layer when planning ends.
public struct LayerLayout: Hashable, Sendable {
    /// Physical expert slots per device.
    public let slotsPerDevice: Int
    /// The logical expert of each slot.
    public var experts: [Int]
    /// The share of its expert's tokens each slot takes; one expert's shares sum to 1.
    public var shares: [Double]

    /// Creates a layout; `shares` defaults to splitting each expert's tokens evenly over its replicas.
    public init(slotsPerDevice: Int, experts: [Int], shares: [Double]? = nil) {
        precondition(slotsPerDevice > 0 && experts.count % slotsPerDevice == 0, "slots must fill whole devices")
        self.slotsPerDevice = slotsPerDevice
        self.experts = experts
        self.shares = shares ?? Self.evenShares(experts)
    }

    /// One layer of `placement`.
    public init(_ placement: ExpertPlacement, layer: Int) {
        self.init(
            slotsPerDevice: placement.slotsPerDevice, experts: placement.physicalToLogical[layer],
            shares: placement.slotShares[layer])
    }

    /// Devices the layout spans.
    public var devices: Int { experts.count / slotsPerDevice }

    /// The slots of `device`.
    @inline(__always)
    public func slots(of device: Int) -> Range<Int> {
        (device * slotsPerDevice)..<((device + 1) * slotsPerDevice)
    }

    /// Tokens each device receives when the logical experts carry `loads`.
    public func deviceLoads(_ loads: [Double]) -> [Double] {
        var perDevice = [Double](repeating: 0, count: devices)
        for slot in experts.indices {
            perDevice[slot / slotsPerDevice] += loads[experts[slot]] * shares[slot]
        }
        return perDevice
    }

    /// Replicas of each of `experts` logical experts.
    public func replicaCounts(experts count: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: count)
        for expert in experts { counts[expert] += 1 }
        return counts
    }

    /// Whether `device` holds a replica of `expert`.
    @inline(__always)
    public func device(_ device: Int, holds expert: Int) -> Bool {
        slots(of: device).contains { experts[$0] == expert }
    }

    /// The layout with its devices reordered: device `d` of the result holds what device `order[d]`
    /// holds here. Device loads move with their devices, so balance does not change.
    public func permutingDevices(_ order: [Int]) -> LayerLayout {
        var result = self
        for (target, source) in order.enumerated() {
            let from = slots(of: source)
            let to = slots(of: target)
            result.experts.replaceSubrange(to, with: experts[from])
            result.shares.replaceSubrange(to, with: shares[from])
        }
        return result
    }

    /// The share of `map`'s expert each slot takes when replicas split tokens evenly.
    public static func evenShares(_ map: [Int]) -> [Double] {
        var replicas = [Int](repeating: 0, count: (map.max() ?? -1) + 1)
        for expert in map { replicas[expert] += 1 }
        return map.map { 1 / Double(replicas[$0]) }
    }

    /// Every logical expert on exactly one device, in contiguous blocks as even as the device count
    /// allows (expert `e` on device `e * devices / experts`). Slots a device does not need hold an
    /// unused copy (share 0) of the device's first expert, or of expert `device % experts` on a
    /// device with no block (more devices than experts), so they take no tokens.
    /// - Precondition: each block fits in `slotsPerDevice` slots.
    public static func noReplication(experts: Int, devices: Int, slotsPerDevice: Int) -> LayerLayout {
        var map = [Int]()
        var shares = [Double]()
        map.reserveCapacity(devices * slotsPerDevice)
        for device in 0..<devices {
            let block = (device * experts + devices - 1) / devices..<((device + 1) * experts + devices - 1) / devices
            precondition(block.count <= slotsPerDevice, "\(block.count) experts do not fit \(slotsPerDevice) slots")
            for slot in 0..<slotsPerDevice {
                let filler = block.isEmpty ? device % experts : block.lowerBound
                map.append(slot < block.count ? block.lowerBound + slot : filler)
                shares.append(slot < block.count ? 1 : 0)
            }
        }
        return LayerLayout(slotsPerDevice: slotsPerDevice, experts: map, shares: shares)
    }
}
