import Topology

/// Host memory for one device's step inputs and outputs (what pinned staging buffers are in a real
/// engine), allocated on the device's NUMA node through libnuma.
///
/// Where libnuma cannot place it (no NUMA support, a node this machine lacks), ordinary memory is used and
/// ``placement`` says why. `@unchecked Sendable` because the memory itself is unguarded: by contract
/// only the device's own ``DeviceWorkQueue`` writes it during a step, and others read it only after that
/// step's work has signalled completion (which orders the accesses).
public final class StagingBuffer: @unchecked Sendable {
    /// Start of the memory (zero-filled).
    public let pointer: UnsafeMutableRawPointer
    /// Its size in bytes.
    public let byteCount: Int
    /// Where the memory lives.
    public let placement: BufferPlacement
    /// The libnuma allocation when there is one; freed with the buffer.
    private let numaBuffer: NUMABuffer?

    /// Allocates `byteCount` bytes on host NUMA node `node` (or ordinary memory when `node` is nil or
    /// libnuma refuses).
    public init(byteCount: Int, node: Int?) {
        let size = max(byteCount, 1)
        self.byteCount = size
        var reason = "no NUMA node requested"
        if let node {
            do {
                let buffer = try NUMABuffer(byteCount: size, onNode: node)
                pointer = buffer.pointer
                placement = .numaNode(node)
                numaBuffer = consume buffer
                pointer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
                return
            } catch {
                reason = "\(error)"
            }
        }
        pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        placement = .ordinary(reason: reason)
        numaBuffer = nil
    }

    deinit {
        if case .ordinary = placement { pointer.deallocate() }
    }
}

/// Where a staging buffer's memory lives.
public enum BufferPlacement: Hashable, Sendable, CustomStringConvertible {
    /// On this host NUMA node (`numa_alloc_onnode`).
    case numaNode(Int)
    /// Ordinary memory, and why libnuma was not used.
    case ordinary(reason: String)

    public var description: String {
        switch self {
        case .numaNode(let node): "on NUMA node \(node)"
        case .ordinary(let reason): "ordinary memory (\(reason))"
        }
    }
}
