import MoECore
import Topology

/// One device of an instance as the engine prepares it for a backend: its placement on this machine, its
/// work queue (a dedicated thread bound to the device's NUMA node) and its host staging buffer
/// (allocated on that node).
public struct EngineDevice: Sendable {
    /// Where the device's work runs on this machine.
    public let placement: DevicePlacement
    /// Its position within the instance (0 for the instance's first device).
    public let rank: Int
    /// The queue that runs the device's work.
    public let queue: DeviceWorkQueue
    /// Its host staging memory, of the size the backend asked for.
    public let staging: StagingBuffer

    /// The simulated device.
    public var id: DeviceID { placement.device }

    /// Creates the device's queue and buffer on `placement`'s host NUMA node.
    init(placement: DevicePlacement, rank: Int, instanceName: String, stagingBytes: Int) {
        self.placement = placement
        self.rank = rank
        queue = DeviceWorkQueue(label: "moeserve.\(instanceName).\(placement.device)", numaNode: placement.hostNUMANode)
        staging = StagingBuffer(byteCount: stagingBytes, node: placement.hostNUMANode)
    }
}
