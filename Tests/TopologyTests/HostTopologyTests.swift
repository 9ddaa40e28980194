import CNUMA
import Foundation
import MoECore
import Testing

@testable import Topology

@Suite struct HostTopologyTests {
    @Test func libnumaAndSysfsAgreeOnThisMachine() throws {
        try #require(numa_available() >= 0, "libnuma reports NUMA unavailable; nothing to compare")
        let viaLibnuma = HostTopology.readLibnuma()
        let viaSysfs = try HostTopology.readSysfs(root: HostTopology.sysfsRoot)
        #expect(viaLibnuma.nodes.map(\.id) == viaSysfs.nodes.map(\.id))
        #expect(viaLibnuma.nodes.map(\.cpus) == viaSysfs.nodes.map(\.cpus))
        #expect(viaLibnuma.distances == viaSysfs.distances)
        for (a, b) in zip(viaLibnuma.nodes, viaSysfs.nodes) {
            // Both read the same meminfo; a VM's memory may change between the two reads.
            #expect(abs(a.memoryTotal.gigabytes - b.memoryTotal.gigabytes) / b.memoryTotal.gigabytes < 0.1)
        }
        #expect(try HostTopology.current().nodes.map(\.cpus) == viaSysfs.nodes.map(\.cpus))
    }

    @Test func sysfsReaderReadsAFakeTwoNodeMachine() throws {
        let root = try Self.fakeSysfs(
            online: "0-1",
            nodes: [
                (cpus: "0-3,8-11", distance: "10 21", total: 65_536_000, free: 1_024),
                (cpus: "4-7,12-15", distance: "21 10", total: 32_768_000, free: 2_048),
            ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let topology = try HostTopology.readSysfs(root: root)
        #expect(topology.source == .sysfs)
        #expect(topology.nodes.map(\.id) == [0, 1])
        #expect(topology.nodes[0].cpus == [0, 1, 2, 3, 8, 9, 10, 11])
        #expect(topology.nodes[1].memoryTotal == Bytes(32_768_000 * 1024))
        #expect(topology.nodes[1].memoryFree == Bytes(2_048 * 1024))
        #expect(topology.distances == [[10, 21], [21, 10]])
        #expect(topology.node(ofCPU: 13)?.id == 1)
    }

    @Test func sysfsReaderKeepsOnlyOnlineNodesDistances() throws {
        let root = try Self.fakeSysfs(
            online: "0,2",
            nodes: [
                (cpus: "0-1", distance: "10 20 30", total: 1000, free: 10),
                (cpus: "", distance: "20 10 20", total: 1000, free: 10),
                (cpus: "2-3", distance: "30 20 10", total: 1000, free: 10),
            ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let topology = try HostTopology.readSysfs(root: root)
        #expect(topology.nodes.map(\.id) == [0, 2])
        #expect(topology.distances == [[10, 30], [30, 10]])
    }

    @Test func missingOrMalformedSysfsFilesAreNamed() throws {
        let missing = #expect(throws: TopologyError.self) { try HostTopology.readSysfs(root: "/nonexistent/node") }
        #expect(missing == .unreadable(path: "/nonexistent/node/online", reason: "cannot read the file"))
        let root = try Self.fakeSysfs(online: "0", nodes: [(cpus: "0-x", distance: "10", total: 1, free: 1)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let malformed = #expect(throws: TopologyError.self) { try HostTopology.readSysfs(root: root) }
        #expect(malformed == .unreadable(path: "\(root)/node0/cpulist", reason: "'0-x' is not a number or a range a-b"))
    }

    @Test(arguments: [("0-3", [0, 1, 2, 3]), ("0,2-3,8", [0, 2, 3, 8]), ("", []), ("5\n", [5])])
    func kernelListsParseAndFormatBack(text: String, values: [Int]) throws {
        #expect(try HostTopology.parseList(text) == values)
        #expect(try HostTopology.parseList(HostTopology.formatList(values)) == values)
    }

    @Test func bufferIsAllocatedOnTheRequestedNodeAndWritable() throws {
        try #require(numa_available() >= 0)
        let buffer = try NUMABuffer(byteCount: 1 << 20, onNode: 0)
        buffer.pointer.storeBytes(of: 42, toByteOffset: 4096, as: UInt8.self)
        #expect(buffer.pointer.load(fromByteOffset: 4096, as: UInt8.self) == 42)
        #expect(buffer.node == 0)
        #expect(throws: TopologyError.allocationFailed(bytes: 4096, node: 99)) {
            _ = try NUMABuffer(byteCount: 4096, onNode: 99)
        }
    }

    @Test func boundThreadRunsOnTheNodesCPUs() throws {
        try #require(numa_available() >= 0)
        let node0 = try #require(try HostTopology.current().nodes.first)
        try NUMAThreadBinding.bindCurrentThread(toNUMANode: node0.id)
        defer { try? NUMAThreadBinding.unbindCurrentThread() }
        let mask = numa_allocate_cpumask()
        defer { numa_free_cpumask(mask) }
        #expect(numa_sched_getaffinity(0, mask) > 0)
        let allowed = (0..<Int(numa_num_possible_cpus())).filter { numa_bitmask_isbitset(mask, UInt32($0)) != 0 }
        #expect(!allowed.isEmpty && Set(allowed).isSubset(of: node0.cpus))
        #expect(throws: TopologyError.bindingFailed(node: 99)) {
            try NUMAThreadBinding.bindCurrentThread(toNUMANode: 99)
        }
    }

    /// Writes a sysfs-shaped node tree into a temporary directory and returns its path.
    private static func fakeSysfs(
        online: String, nodes: [(cpus: String, distance: String, total: Int, free: Int)]
    ) throws -> String {
        let root = NSTemporaryDirectory() + "fake-sysfs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "\(online)\n".write(toFile: "\(root)/online", atomically: true, encoding: .utf8)
        for (id, node) in nodes.enumerated() {
            let directory = "\(root)/node\(id)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try "\(node.cpus)\n".write(toFile: "\(directory)/cpulist", atomically: true, encoding: .utf8)
            try "\(node.distance)\n".write(toFile: "\(directory)/distance", atomically: true, encoding: .utf8)
            let meminfo = """
                Node \(id) MemTotal:       \(node.total) kB
                Node \(id) MemFree:        \(node.free) kB
                Node \(id) MemUsed:        \(node.total - node.free) kB
                """
            try meminfo.write(toFile: "\(directory)/meminfo", atomically: true, encoding: .utf8)
        }
        return root
    }
}
