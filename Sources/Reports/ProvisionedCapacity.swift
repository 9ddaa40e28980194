import Deployment
import MoECore

/// The devices held for serving over a run, pool by pool, as a step function of time: the nodes an
/// allocation-based cost pays for. Devices start provisioned; an autoscaler releasing an instance returns
/// its devices (DeepSeek lends night-time inference nodes to training) and provisioning it again takes them
/// back. Failed devices stay provisioned (their rent is paid while they are repaired).
///
/// Changes are kept as a list (autoscaler decisions, a few per hour), so memory grows with decisions, not
/// with requests.
public struct ProvisionedCapacity: Sendable {
    /// One host pool as the bill sees it.
    public struct Pool: Sendable, Hashable {
        /// Devices in the pool.
        public var devices: Int
        /// Devices per node.
        public var devicesPerNode: Int
        /// Dollars per device-hour.
        public var pricePerDeviceHour: Dollars
        /// Board power of one device, watts.
        public var powerWatts: Double

        /// Creates a pool.
        public init(devices: Int, devicesPerNode: Int, pricePerDeviceHour: Dollars, powerWatts: Double) {
            self.devices = devices
            self.devicesPerNode = devicesPerNode
            self.pricePerDeviceHour = pricePerDeviceHour
            self.powerWatts = powerWatts
        }
    }

    /// From `time` on, `devices[p]` devices of pool `p` are provisioned.
    public struct Change: Sendable, Hashable {
        /// When the change took effect.
        public var time: SimTime
        /// Devices provisioned per pool from then on.
        public var devices: [Int]
    }

    /// The pools.
    public let pools: [Pool]
    /// The steps, the first at time 0, in time order.
    public private(set) var changes: [Change]

    /// Every device of every pool provisioned from time 0.
    public init(pools: [Pool]) {
        self.pools = pools
        changes = [Change(time: .zero, devices: pools.map(\.devices))]
    }

    /// The pools of `plan`'s cluster, all provisioned.
    public init(plan: DeploymentPlan) {
        self.init(
            pools: zip(plan.scenario.pools, plan.pools).map { pool, topology in
                Pool(
                    devices: pool.devices, devicesPerNode: topology.devicesPerHost,
                    pricePerDeviceHour: pool.device.pricePerHour, powerWatts: pool.device.powerWatts)
            })
    }

    /// Devices provisioned per pool now (after the last change).
    public var current: [Int] { changes[changes.count - 1].devices }

    /// Adds `delta` devices (negative: releases them) to pool `pool` from `time` on.
    public mutating func adjust(pool: Int, by delta: Int, at time: SimTime) {
        var devices = current
        devices[pool] = min(pools[pool].devices, max(0, devices[pool] + delta))
        if changes[changes.count - 1].time == time {
            changes[changes.count - 1].devices = devices
        } else {
            changes.append(Change(time: time, devices: devices))
        }
    }

    /// Nodes provisioned over all pools from `change` on.
    public func nodes(_ change: Change) -> Double {
        zip(change.devices, pools).reduce(0) { $0 + Double($1.0) / Double($1.1.devicesPerNode) }
    }

    /// Device-seconds provisioned per pool from time 0 to `end`.
    public func deviceSeconds(until end: SimTime) -> [Double] {
        var totals = [Double](repeating: 0, count: pools.count)
        for (index, change) in changes.enumerated() where change.time < end {
            let next = index + 1 < changes.count ? min(changes[index + 1].time, end) : end
            let seconds = (next - change.time).seconds
            for pool in pools.indices { totals[pool] += Double(change.devices[pool]) * seconds }
        }
        return totals
    }

    /// Dollars of the devices provisioned from time 0 to `end`.
    public func dollars(until end: SimTime) -> Double {
        zip(deviceSeconds(until: end), pools).reduce(0) { $0 + $1.0 * $1.1.pricePerDeviceHour.amount / 3600 }
    }

    /// Energy of the devices provisioned from time 0 to `end` at board power, kWh (an upper bound).
    public func energyKWh(until end: SimTime) -> Double {
        zip(deviceSeconds(until: end), pools).reduce(0) { $0 + $1.0 * $1.1.powerWatts } / 3.6e6
    }

    /// Mean nodes provisioned from time 0 to `end`.
    public func meanNodes(until end: SimTime) -> Double {
        guard end > .zero else { return nodes(changes[0]) }
        let perPool = deviceSeconds(until: end)
        return zip(perPool, pools).reduce(0) { $0 + $1.0 / Double($1.1.devicesPerNode) } / end.seconds
    }
}
