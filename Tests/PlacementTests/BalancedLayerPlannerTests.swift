import Foundation
import MoECore
import Testing

@testable import Placement

/// The planner's balance stage: optimal replica counts, full and valid packings, exact uneven splits,
/// swaps that only ever help.
@Suite struct BalancedLayerPlannerTests {
    /// Loads of one synthetic layer: a Zipf skew over `experts` experts in a seeded order.
    static func skewedLayer(experts: Int, seed: UInt64, exponent: Double = 1.0) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<experts).map { _ in 1000 / pow(Double(1 + generator.next() % UInt64(experts)), exponent) }
    }

    @Test(arguments: [[10.0, 4, 6], [1, 1, 1, 9], [5, 5, 5, 5, 20], [0, 3, 7, 2]])
    func replicaCountsMinimizeTheLargestLoadPerReplica(loads: [Double]) {
        for extra in 0...6 {
            let counts = ReplicaCounts.counts(loads: loads, extraSlots: extra)
            #expect(counts.reduce(0, +) == loads.count + extra)
            let greedy = zip(loads, counts).map { $0 / Double($1) }.max()!
            // Every way of giving out the extra slots, by brute force.
            func best(_ index: Int, _ left: Int) -> Double {
                guard index < loads.count else { return left == 0 ? 0 : .infinity }
                return (0...left).map { give in max(loads[index] / Double(1 + give), best(index + 1, left - give)) }
                    .min()!
            }
            #expect(abs(greedy - best(0, extra)) < 1e-12, "extra \(extra): \(counts)")
        }
    }

    @Test func packingFillsEverySlotAndNeverPutsTwoCopiesOnOneDevice() {
        for seed in 0..<20 as Range<UInt64> {
            let loads = Self.skewedLayer(experts: 64, seed: seed, exponent: 1.2)
            let counts = ReplicaCounts.counts(loads: loads, extraSlots: 16, maximumReplicas: 8)
            let layout = SlotPacking.longestProcessingTime(loads: loads, counts: counts, devices: 8, slotsPerDevice: 10)
            #expect(layout.replicaCounts(experts: 64) == counts)
            for device in 0..<8 {
                let held = layout.slots(of: device).map { layout.experts[$0] }
                #expect(Set(held).count == held.count, "seed \(seed) device \(device) holds \(held)")
            }
        }
    }

    @Test func unevenSplitsReachTheBestMaximumTheReplicasAllow() {
        // Expert 0 (load 10) on both devices, expert 1 (2) on device 0, expert 2 (6) on device 1:
        // both devices can carry 9, which needs expert 0 to send 7 tokens in 10 to device 0.
        var layout = LayerLayout(slotsPerDevice: 2, experts: [0, 1, 0, 2])
        let loads = [10.0, 2, 6]
        let deviceLoads = ShareBalancing.balance(&layout, loads: loads)
        #expect(abs(deviceLoads[0] - 9) < 1e-6 && abs(deviceLoads[1] - 9) < 1e-6)
        #expect(abs(layout.shares[0] - 0.7) < 1e-6 && abs(layout.shares[2] - 0.3) < 1e-6)
        // When the best split still leaves a device above the mean, splitting goes as far as it can.
        var lopsided = LayerLayout(slotsPerDevice: 2, experts: [0, 1, 0, 2])
        let heavy = ShareBalancing.balance(&lopsided, loads: [1, 20, 2])
        #expect(abs(heavy[0] - 20) < 1e-9 && abs(heavy[1] - 3) < 1e-9)
    }

    @Test func swapsNeverRaiseTheMaximumAndKeepEveryExpert() {
        for seed in 0..<20 as Range<UInt64> {
            let loads = Self.skewedLayer(experts: 48, seed: seed)
            let counts = ReplicaCounts.counts(loads: loads, extraSlots: 8, maximumReplicas: 14)
            var layout = SlotPacking.longestProcessingTime(loads: loads, counts: counts, devices: 14, slotsPerDevice: 4)
            var deviceLoads = layout.deviceLoads(loads)
            let before = deviceLoads.max()!
            SwapRefinement.refine(&layout, loads: loads, deviceLoads: &deviceLoads, maximumSwaps: 1000)
            #expect(deviceLoads.max()! <= before)
            let recomputed = layout.deviceLoads(loads)
            #expect(zip(recomputed, deviceLoads).allSatisfy { abs($0 - $1) < 1e-9 * before })
            #expect(layout.replicaCounts(experts: 48) == counts)
        }
    }

    @Test func plannerIsAtLeastAsBalancedAsEPLBOnSeededSkews() {
        var planner = 0.0
        var eplb = 0.0
        for seed in 0..<10 as Range<UInt64> {
            let loads = Self.skewedLayer(experts: 64, seed: seed, exponent: 1.1)
            let mean = loads.reduce(0, +) / 16
            let planned = BalancedLayerPlanner.plan(loads: loads, devices: 16, slotsPerDevice: 5)
            let baseline = LayerLayout(
                slotsPerDevice: 5,
                experts: EPLBBaseline.physicalToLogical(
                    loads: loads, physicalExperts: 80, groups: 1, nodes: 1, gpus: 16))
            planner += mean / planned.deviceLoads(loads).max()!
            eplb += mean / baseline.deviceLoads(loads).max()!
            let shares = zip(planned.experts, planned.shares).reduce(into: [Int: Double]()) {
                $0[$1.0, default: 0] += $1.1
            }
            #expect(shares.count == 64 && shares.values.allSatisfy { abs($0 - 1) < 1e-9 })
        }
        #expect(planner > eplb, "planner \(planner / 10), EPLB \(eplb / 10)")
    }

    @Test func noReplicationPutsEveryExpertOnOneDeviceInBlocks() {
        let layout = LayerLayout.noReplication(experts: 256, devices: 144, slotsPerDevice: 2)
        let loads = [Double](repeating: 1, count: 256)
        let deviceLoads = layout.deviceLoads(loads)
        #expect(deviceLoads.reduce(0, +) == 256)
        #expect(Set(deviceLoads) == [1, 2])
        // The slots that take tokens hold experts 0, 1, 2, ... in order; the others take none.
        let used = layout.experts.indices.filter { layout.shares[$0] > 0 }
        #expect(used.map { layout.experts[$0] } == Array(0..<256))
        #expect(layout.shares.allSatisfy { $0 == 0 || $0 == 1 })
        // More devices than experts: the devices without a block hold a copy that takes no tokens.
        let sparse = LayerLayout.noReplication(experts: 8, devices: 16, slotsPerDevice: 1)
        #expect(sparse.deviceLoads([Double](repeating: 1, count: 8)).filter { $0 == 1 }.count == 8)
        #expect(Set(sparse.experts) == Set(0..<8))
    }
}
