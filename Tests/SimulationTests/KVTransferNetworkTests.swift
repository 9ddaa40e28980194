import MoECore
import Testing
import Topology

@testable import Simulation

@Suite struct KVTransferNetworkTests {
    static let h800 = try! ClusterTopology(hostKey: "hgx-h800", hosts: 4)

    static func network() -> KVTransferNetwork { KVTransferNetwork(fabric: ClusterFabric(pools: [h800])) }

    static func device(_ index: Int) -> PooledDeviceID { PooledDeviceID(pool: 0, device: DeviceID(index)) }

    @Test func transfersThroughOneNICQueueOneAfterAnother() {
        var network = Self.network()
        let bytes: Int64 = 500_000_000  // 10 ms at 50 GB/s
        let first = network.transfer(bytes: bytes, from: Self.device(0), to: Self.device(16), at: .zero)
        let second = network.transfer(bytes: bytes, from: Self.device(0), to: Self.device(17), at: .zero)
        let elsewhere = network.transfer(bytes: bytes, from: Self.device(1), to: Self.device(18), at: .zero)
        #expect(first == .zero + .milliseconds(10) + .microseconds(6))
        #expect(second == .zero + .milliseconds(20) + .microseconds(6))  // device 0's NIC was busy sending
        #expect(elsewhere == first)  // another NIC, another queue
    }

    @Test func withinAHostTheKVCacheTakesNVLinkAndQueuesOnNoNIC() {
        var network = Self.network()
        let bytes: Int64 = 400_000_000  // 2 ms at NVLink's 200 GB/s per direction
        let landed = network.transfer(bytes: bytes, from: Self.device(0), to: Self.device(5), at: .zero)
        #expect(landed == .zero + .milliseconds(2) + .microseconds(2))
        let path = Self.h800.kvTransferPath(from: DeviceID(0), to: DeviceID(5))
        #expect(path.kind == .scaleUp)
    }

    @Test func aLostNICIsReplacedByAnotherOfItsHost() {
        var network = Self.network()
        let nic = Self.h800.nicIndex(serving: DeviceID(2))
        network.setDown(nic, true)
        let bytes: Int64 = 500_000_000
        // Device 2 sends through NIC 3 of its host, which then is busy for device 3's own transfer.
        _ = network.transfer(bytes: bytes, from: Self.device(2), to: Self.device(16), at: .zero)
        let queued = network.transfer(bytes: bytes, from: Self.device(3), to: Self.device(17), at: .zero)
        #expect(queued == .zero + .milliseconds(20) + .microseconds(6))
    }

    @Test func insideACloudMatrixSupernodeKVTakesTheRDMAPlaneNotTheUBFabric() throws {
        let supernode = try ClusterTopology(hostKey: "cloudmatrix384-node", hosts: 48)
        #expect(supernode.path(from: DeviceID(0), to: DeviceID(100)).kind == .scaleUp)
        let path = supernode.kvTransferPath(from: DeviceID(0), to: DeviceID(100))
        #expect(path.kind == .scaleOut && path.bandwidth == .gigabitsPerSecond(400))
    }

    @Test func acrossPoolsTheSlowerNICAndFabricSetTheTransfer() throws {
        let ascend = try ClusterTopology(hostKey: "atlas-800t-a2", hosts: 2)
        let fabric = ClusterFabric(pools: [Self.h800, ascend])
        let path = fabric.kvTransferPath(
            from: PooledDeviceID(pool: 1, device: DeviceID(3)), to: PooledDeviceID(pool: 0, device: DeviceID(9)))
        #expect(path.bandwidth == .gigabitsPerSecond(200))  // the 910B's 200GE RoCE port
        #expect(path.latency == .microseconds((1.5 + 3) / 2) + .microseconds(5))  // RoCE fabric's 5 µs
        #expect(fabric.nicCount == 32 + 16)
        #expect(fabric.nicIndex(serving: PooledDeviceID(pool: 1, device: DeviceID(3))) == 32 + 3)
        #expect(fabric.nicsOfHost(holding: PooledDeviceID(pool: 1, device: DeviceID(9))) == 40..<48)
    }
}

@Suite struct GroupAutoscalerTests {
    static func controller(queueDelay: Double? = 0.5, kvUsage: Double? = nil) -> GroupAutoscaler {
        GroupAutoscaler(
            group: 0, members: Array(0..<8),
            policy: ScenarioAutoscaling(
                policy: .load(
                    .init(
                        minimumInstances: 2, queueDelay: queueDelay.map { .seconds($0) }, kvUsage: kvUsage,
                        interval: .seconds(30), scaleInDelay: .seconds(120))), warmUp: .seconds(60)))
    }

    @Test func theHPAFormulaScalesOutAtOnceAndInOnlyAfterTheWindow() {
        var controller = Self.controller()
        // Twice the target delay on 3 instances: ceil(3 x 2) = 6.
        #expect(controller.desired(at: .seconds(30), current: 3, queueDelay: .seconds(1), kvUsage: nil) == 6)
        // Within 10% of the target: no change.
        #expect(controller.desired(at: .seconds(60), current: 6, queueDelay: .seconds(0.53), kvUsage: nil) == 6)
        // A quarter of the target asks for 2, but the last 120 s held a 6: stay until they age out.
        #expect(controller.desired(at: .seconds(90), current: 6, queueDelay: .seconds(0.125), kvUsage: nil) == 6)
        #expect(controller.desired(at: .seconds(185), current: 6, queueDelay: .seconds(0.125), kvUsage: nil) == 2)
        // Never below the minimum nor above the group.
        #expect(controller.desired(at: .seconds(400), current: 2, queueDelay: .zero, kvUsage: nil) == 2)
        #expect(controller.desired(at: .seconds(430), current: 6, queueDelay: .seconds(10), kvUsage: nil) == 8)
    }

    @Test func theLargerOfTwoTargetsDecides() {
        var controller = Self.controller(queueDelay: 0.5, kvUsage: 0.5)
        #expect(controller.desired(at: .seconds(30), current: 4, queueDelay: .seconds(0.25), kvUsage: 0.75) == 6)
    }

    @Test func aScheduleRepeatsEachPeriodAndDecidesAtItsSteps() {
        let controller = GroupAutoscaler(
            group: 0, members: Array(0..<3),
            policy: ScenarioAutoscaling(
                policy: .schedule(
                    [.init(offset: .zero, instances: 1), .init(offset: .seconds(8 * 3600), instances: 3)],
                    period: .seconds(86_400)), warmUp: .seconds(300)))
        #expect(controller.initialInstances == 1)
        #expect(controller.nextDecision(after: .zero) == .seconds(8 * 3600))
        #expect(controller.nextDecision(after: .seconds(9 * 3600)) == .seconds(86_400))
        #expect(controller.policy.scheduledInstances(at: .seconds(86_400 + 9 * 3600)) == 3)
        #expect(controller.policy.scheduledInstances(at: .seconds(86_400 + 3600)) == 1)
    }
}
