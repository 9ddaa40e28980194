import MoECore
import PerfModel
import Testing
import Topology

@testable import Placement

/// Re-planning from the placement in service under a budget of expert copies, and what moving costs.
@Suite struct RebalancerTests {
    /// Yesterday's decode placement (planned from one matrix) and today's loads (another matrix).
    static func previousAndToday() throws -> (ExpertPlacement, ExpertLoadMatrix) {
        let yesterday = try Fixtures.matrix("decode_in1000out1000.json")
        let today = try Fixtures.matrix("prefill_in4096.json")
        let previous = try PlacementPlanner(Fixtures.request(devices: 144, loads: yesterday)).plan().placement
        return (previous, today)
    }

    @Test func movesNoMoreCopiesThanTheBudgetAndMoreBudgetBalancesBetter() throws {
        let (previous, today) = try Self.previousAndToday()
        var balance = [Double]()
        for budget in [0, 16, 128] {
            let request = try Fixtures.request(devices: 144, loads: today, previous: previous, maximumMoves: budget)
            let plan = try PlacementPlanner(request).plan()
            let migration = try #require(plan.migration)
            #expect(migration.expertsMoved <= budget)
            #expect(migration.bytes == request.expertBytes * Int64(migration.expertsMoved))
            if budget == 0 {
                #expect(plan.placement.physicalToLogical == previous.physicalToLogical)
                #expect(migration.time == .zero)
            } else {
                #expect(migration.expertsMoved > 0 && migration.time > .zero)
            }
            balance.append(plan.metrics.balancedness)
        }
        // Re-splitting alone already helps; every extra copy may only help.
        let stale = try PlacementPlanner(Fixtures.request(devices: 144, loads: today)).evaluate(previous)
        #expect(balance[0] >= stale.metrics.balancedness)
        #expect(balance[0] <= balance[1] && balance[1] <= balance[2], "\(balance)")
    }

    @Test func aFreshPlanCountsEveryChangedSlotAsAMove() throws {
        let (previous, today) = try Self.previousAndToday()
        let plan = try PlacementPlanner(Fixtures.request(devices: 144, loads: today, previous: previous)).plan()
        let migration = try #require(plan.migration)
        // A slot is a move when its device did not hold the expert before (order within a device is free).
        var changed = 0
        for layer in 0..<58 {
            for device in 0..<144 {
                var before = previous.physicalToLogical[layer][(device * 2)..<(device * 2 + 2)].sorted()
                for expert in plan.placement.physicalToLogical[layer][(device * 2)..<(device * 2 + 2)] {
                    if let index = before.firstIndex(of: expert) { before.remove(at: index) } else { changed += 1 }
                }
            }
        }
        #expect(migration.expertsMoved == changed && changed > 0)
    }

    @Test func aMovedExpertIsCopiedFromTheSameNodeWhenItCanBe() throws {
        // Two nodes of 8 devices, 16 experts per device plus one spare slot (expert 255 twice).
        let topology = try ClusterTopology.smallest(holding: 16, of: Catalog.h800)
        var map = [Int]()
        for device in 0..<16 {
            map += Array((device * 16)..<((device + 1) * 16))
            map.append(device == 0 ? 255 : 254)
        }
        let previous = ExpertPlacement(devices: 16, slotsPerDevice: 17, experts: 256, physicalToLogical: [map])
        // Device 1's spare becomes expert 3 (held by device 0, same node); device 9's becomes expert
        // 100 (held by device 6, other node).
        map[1 * 17 + 16] = 3
        map[9 * 17 + 16] = 100
        let next = ExpertPlacement(devices: 16, slotsPerDevice: 17, experts: 256, physicalToLogical: [map])
        let model = ModelSpec(
            key: "one-layer", name: "one MoE layer", layers: 1, denseLayers: 0, hiddenSize: 7168,
            denseIntermediateSize: 18432, vocabularySize: 129_280, attention: Catalog.deepSeekV3.attention,
            moe: Catalog.deepSeekV3.moe, nativeWeightFormat: .fp8)
        let request = try PlacementRequest(
            model: model, topology: topology, devices: 16, slotsPerDevice: 17,
            loads: ExpertLoadMatrix.balanced(layers: 1, experts: 256))
        let migration = ExpertMigration(from: previous, to: next, request: request)
        #expect(migration.expertsMoved == 2)
        #expect(migration.bytes == request.expertBytes * 2)
        #expect(migration.nicBytes == request.expertBytes)
        let bytes = Double(request.expertBytes.count)
        let overNIC = bytes / topology.bandwidth(from: DeviceID(6), to: DeviceID(9)).bytesPerSecond
        let overNVLink = bytes / topology.bandwidth(from: DeviceID(0), to: DeviceID(1)).bytesPerSecond
        #expect(overNIC > overNVLink)
        #expect(abs(migration.time.seconds - overNIC) < 1e-6)
    }
}
