import MoECore
import Topology

/// The NICs KV caches cross between prefill and decode instances, each a first-come-first-served link per
/// direction: a transfer starts when both the sending NIC and the receiving NIC are free, holds both for
/// `bytes / bandwidth`, and lands one path latency later. Transfers between devices of one host take the
/// scale-up links and queue on nothing. A NIC that is down is replaced by the next working NIC of its host
/// (transfer engines such as Mooncake's use any NIC of the host); a host with none is the node being down.
///
/// The expert-parallel traffic sharing these NICs is not modelled: it is bursty and short, and the step-time
/// model already charges it to the steps.
struct KVTransferNetwork: Sendable {
    let fabric: ClusterFabric
    /// When each NIC's sending and receiving sides are next free, nanoseconds since the start.
    private var sendFree: [Int64]
    private var receiveFree: [Int64]
    /// Whether each NIC is down.
    private var isDown: [Bool]

    init(fabric: ClusterFabric) {
        self.fabric = fabric
        sendFree = Array(repeating: 0, count: fabric.nicCount)
        receiveFree = sendFree
        isDown = Array(repeating: false, count: fabric.nicCount)
    }

    /// Marks the NIC `nic` down or back up.
    mutating func setDown(_ nic: Int, _ down: Bool) { isDown[nic] = down }

    /// Starts moving `bytes` from `source` to `destination` at `now`; returns when they land.
    mutating func transfer(bytes: Int64, from source: PooledDeviceID, to destination: PooledDeviceID, at now: SimTime)
        -> SimTime
    {
        let path = fabric.kvTransferPath(from: source, to: destination)
        let occupancy = path.bandwidth.timeToTransfer(Bytes(bytes)).nanoseconds
        let start = now.nanosecondsSinceStart
        guard path.kind == .scaleOut else {
            return SimTime(nanosecondsSinceStart: start + occupancy + path.latency.nanoseconds)
        }
        let sending = workingNIC(serving: source)
        let receiving = workingNIC(serving: destination)
        let begin = max(start, sendFree[sending], receiveFree[receiving])
        sendFree[sending] = begin + occupancy
        receiveFree[receiving] = begin + occupancy
        return SimTime(nanosecondsSinceStart: begin + occupancy + path.latency.nanoseconds)
    }

    /// The NIC carrying `device`'s traffic, or the next working one of its host when it is down.
    private func workingNIC(serving device: PooledDeviceID) -> Int {
        let own = fabric.nicIndex(serving: device)
        guard isDown[own] else { return own }
        let host = fabric.nicsOfHost(holding: device)
        for step in 1..<host.count {
            let candidate = host.lowerBound + (own - host.lowerBound + step) % host.count
            if !isDown[candidate] { return candidate }
        }
        return own
    }
}
