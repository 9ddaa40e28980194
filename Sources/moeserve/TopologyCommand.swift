import ArgumentParser
import MoECore
import Reports
import Topology

/// `moeserve topology [--host KEY]`: this machine's NUMA layout, or a simulated host's layout with
/// the NUMA node, PCIe switch and NIC serving each device.
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Show this machine's NUMA layout, or a catalog host's simulated layout.")

    @Option(help: "A catalog host key (such as hgx-h800) to show instead of this machine.")
    var host: String?

    @OptionGroup var catalogFiles: CatalogFilesOption

    func run() throws {
        if let host {
            let catalog = try catalogFiles.load()
            do {
                print(Self.describe(try ClusterTopology(hostKey: host, hosts: 1, catalog: catalog)))
            } catch let error as TopologyError {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        } else {
            print(Self.describe(try HostTopology.current()))
        }
    }

    static func describe(_ topology: HostTopology) -> String {
        var nodes = TextTable(["node", "cpus", "memory GB", "free GB"], numeric: [0, 2, 3])
        for node in topology.nodes {
            nodes.append([
                String(node.id), HostTopology.formatList(node.cpus), Figures.fixed(node.memoryTotal.gigabytes),
                Figures.fixed(node.memoryFree.gigabytes),
            ])
        }
        let cpuCount = topology.nodes.reduce(0) { $0 + $1.cpus.count }
        return """
            This host: \(topology.nodes.count) NUMA node(s), \(cpuCount) CPU(s) (read through \(topology.source.rawValue))
            \(nodes.render())

            NUMA distances
            \(distanceTable(topology.distances, ids: topology.nodes.map(\.id)).render())
            """
    }

    static func describe(_ topology: ClusterTopology) -> String {
        let host = topology.host
        var numa = TextTable(["node", "socket", "cores", "DRAM GB"], numeric: [0, 1, 2, 3])
        for (index, node) in host.numaNodes.enumerated() {
            numa.append([
                String(index), String(node.socket), String(node.cpuCores), Figures.fixed(node.memory.gigabytes, 0),
            ])
        }
        var devices = TextTable(
            ["device", "NUMA node", "socket", "PCIe switch", "NIC", "NIC Gb/s", "NIC NUMA node"], numeric: Set(0...6))
        for index in 0..<topology.devicesPerHost {
            let location = topology.location(of: DeviceID(index))
            let nic = topology.nic(serving: DeviceID(index))
            devices.append([
                String(index), String(location.numaNode), String(location.socket), String(location.pcieSwitch),
                String(location.nic), Figures.fixed(nic.bandwidth.bytesPerSecond * 8 / 1e9, 0), String(nic.numaNode),
            ])
        }
        return """
            \(host.name) (\(host.key)): \(host.deviceCount) x \(topology.device.key), \
            \(host.scaleUp.kind.rawValue) scale-up spanning \(host.scaleUp.domainHosts) host(s), \
            inter-socket \(host.interSocketBandwidth)
            \(numa.render())

            NUMA distances
            \(distanceTable(host.numaDistances, ids: Array(host.numaNodes.indices)).render())

            Devices
            \(devices.render())
            Source: \(host.source)
            """
    }

    private static func distanceTable(_ distances: [[Int]], ids: [Int]) -> TextTable {
        var table = TextTable(["node"] + ids.map(String.init), numeric: Set(0...ids.count))
        for (row, id) in zip(distances, ids) { table.append([String(id)] + row.map(String.init)) }
        return table
    }
}
