import CNUMA

/// Host memory allocated on one NUMA node through libnuma (`numa_alloc_onnode`), freed when the
/// value goes away. The engine puts host staging buffers and host-tier KV blocks next to the device
/// that uses them.
public struct NUMABuffer: ~Copyable {
    /// Start of the allocation (page-aligned, zero-filled on first touch).
    public let pointer: UnsafeMutableRawPointer
    /// Size in bytes.
    public let byteCount: Int
    /// The node the pages were requested on.
    public let node: Int

    /// Allocates `byteCount` bytes on NUMA node `node`.
    /// - Throws: ``TopologyError/numaUnavailable`` without libnuma support, or
    ///   ``TopologyError/allocationFailed(bytes:node:)``.
    public init(byteCount: Int, onNode node: Int) throws {
        guard numa_available() >= 0 else { throw TopologyError.numaUnavailable }
        guard byteCount > 0, node >= 0, node <= Int(numa_max_node()),
            let pointer = numa_alloc_onnode(byteCount, Int32(node))
        else { throw TopologyError.allocationFailed(bytes: byteCount, node: node) }
        self.pointer = pointer
        self.byteCount = byteCount
        self.node = node
    }

    deinit { numa_free(pointer, byteCount) }
}

/// Pinning the calling thread to the CPUs of a NUMA node (`numa_run_on_node`), so a device's worker
/// runs next to its device, NIC and host buffers.
public enum NUMAThreadBinding {
    /// Restricts the calling thread to the CPUs of `node`.
    /// - Throws: ``TopologyError/numaUnavailable`` or ``TopologyError/bindingFailed(node:)``.
    public static func bindCurrentThread(toNUMANode node: Int) throws {
        guard numa_available() >= 0 else { throw TopologyError.numaUnavailable }
        guard node >= 0, node <= Int(numa_max_node()), numa_run_on_node(Int32(node)) == 0 else {
            throw TopologyError.bindingFailed(node: node)
        }
    }

    /// Lets the calling thread run on every CPU again.
    public static func unbindCurrentThread() throws {
        guard numa_available() >= 0 else { throw TopologyError.numaUnavailable }
        guard numa_run_on_node(-1) == 0 else { throw TopologyError.bindingFailed(node: -1) }
    }
}
