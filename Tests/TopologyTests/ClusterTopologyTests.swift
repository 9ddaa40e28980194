import MoECore
import Testing
import Topology

@Suite struct ClusterTopologyTests {
    let hgx = try! ClusterTopology(hostKey: "hgx-h800", hosts: 2)

    @Test func devicesAreNumberedHostMajorWithTheirNUMANodeAndNIC() {
        #expect(hgx.deviceCount == 16)
        let fifth = hgx.location(of: DeviceID(13))
        #expect(fifth.host == 1)
        #expect(fifth.localIndex == 5)
        #expect(fifth.numaNode == 1)
        #expect(fifth.socket == 1)
        #expect(hgx.nic(serving: DeviceID(13)).servesDevices == [5])
    }

    @Test func sameHostTrafficUsesNVLinkAndCrossHostTrafficUsesTheNIC() {
        let local = hgx.path(from: DeviceID(0), to: DeviceID(7))
        #expect(local.kind == .scaleUp)
        #expect(local.bandwidth == .gigabytesPerSecond(200))
        let remote = hgx.path(from: DeviceID(0), to: DeviceID(8))
        #expect(remote.kind == .scaleOut)
        #expect(remote.bandwidth == .gigabitsPerSecond(400))
        #expect(!remote.crossesSocket)
        #expect(remote.latency > local.latency)
        #expect(hgx.path(from: DeviceID(3), to: DeviceID(3)).kind == .sameDevice)
    }

    @Test func remoteNUMAHostMemoryIsLimitedByTheSocketLink() {
        let (localBandwidth, localCrosses) = hgx.hostMemoryPath(to: DeviceID(1), fromNUMANode: 0)
        let (remoteBandwidth, remoteCrosses) = hgx.hostMemoryPath(to: DeviceID(1), fromNUMANode: 1)
        #expect(!localCrosses && remoteCrosses)
        #expect(remoteBandwidth <= localBandwidth)
    }

    @Test func cloudMatrixSupernodeKeepsCrossHostTrafficOnTheUnifiedBus() throws {
        let supernode = try ClusterTopology(cluster: Catalog.builtinClusters[0])
        #expect(supernode.deviceCount == 384)
        let path = supernode.path(from: DeviceID(0), to: DeviceID(383))
        #expect(path.kind == .scaleUp)
        #expect(path.bandwidth == .gigabytesPerSecond(392))
    }

    @Test func h20HostsShareOneNICBetweenTwoGPUs() throws {
        let h20 = try ClusterTopology(hostKey: "hgx-h20", hosts: 2)
        #expect(h20.nic(serving: DeviceID(1)).servesDevices == [0, 1])
        #expect(h20.host.nics.count == 4)
    }

    @Test func unknownHostErrorListsTheKnownOnes() {
        #expect(throws: TopologyError.self) { try ClusterTopology(hostKey: "dgx-b200", hosts: 1) }
        do {
            _ = try ClusterTopology(hostKey: "dgx-b200", hosts: 1)
        } catch {
            #expect("\(error)".contains("hgx-h800"))
        }
    }

    @Test func inconsistentHostLayoutIsRejectedWithTheSharedCheck() {
        var host = Catalog.hgx(deviceKey: "h800")
        host.key = "broken"
        host.nics.removeLast()
        var catalog = Catalog.builtin
        catalog.add(host)
        #expect(throws: TopologyError.invalidLayout("host broken: every device must be served by exactly one NIC")) {
            try ClusterTopology(hostKey: "broken", hosts: 1, catalog: catalog)
        }
    }
}
