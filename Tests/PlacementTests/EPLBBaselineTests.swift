import Testing

@testable import Placement

/// The baseline reproduces DeepSeek's published EPLB example and keeps EPLB's structure.
@Suite struct EPLBBaselineTests {
    /// The README example: 2 layers x 12 experts, 16 physical slots, 4 groups, 2 nodes, 8 GPUs.
    static let readmeLoads: [[Double]] = [
        [90, 132, 40, 61, 104, 165, 39, 4, 73, 56, 183, 86],
        [20, 107, 104, 64, 19, 197, 187, 157, 172, 86, 16, 27],
    ]
    static let readmeMaps = [
        [5, 6, 5, 7, 8, 4, 3, 4, 10, 9, 10, 2, 0, 1, 11, 1],
        [7, 10, 6, 8, 6, 11, 8, 9, 2, 4, 5, 1, 5, 0, 3, 1],
    ]

    @Test func reproducesTheReadmeExampleExactly() {
        for (loads, expected) in zip(Self.readmeLoads, Self.readmeMaps) {
            let map = EPLBBaseline.physicalToLogical(loads: loads, physicalExperts: 16, groups: 4, nodes: 2, gpus: 8)
            #expect(map == expected)
        }
    }

    @Test func hierarchicalPolicyKeepsEachGroupOnOneNode() {
        let loads = Self.readmeLoads[1]
        let map = EPLBBaseline.physicalToLogical(loads: loads, physicalExperts: 16, groups: 4, nodes: 2, gpus: 8)
        for node in 0..<2 {
            let groups = Set(map[(node * 8)..<((node + 1) * 8)].map { $0 / 3 })
            #expect(groups.count == 2, "node \(node) holds groups \(groups.sorted())")
        }
    }

    @Test func globalPolicyWhenNodesDoNotDivideGroups() {
        #expect(!EPLBBaseline.usesHierarchicalPolicy(experts: 256, groups: 8, nodes: 18, gpus: 144))
        #expect(EPLBBaseline.usesHierarchicalPolicy(experts: 256, groups: 8, nodes: 4, gpus: 32))
        // Global: replicas follow the load over the whole group, not per node.
        let loads = Self.readmeLoads[0]
        let map = EPLBBaseline.physicalToLogical(loads: loads, physicalExperts: 18, groups: 4, nodes: 3, gpus: 9)
        let counts = ReplicaCounts.counts(loads: loads, extraSlots: 6)
        #expect((0..<12).map { expert in map.filter { $0 == expert }.count } == counts)
        #expect(counts[10] == 3 && counts[5] == 2)
    }

    @Test func replicationGivesEachExtraSlotToTheHighestLoadPerReplica() {
        let additions = ReplicaCounts.additions(loads: [10, 4, 6], extraSlots: 3)
        // 10 -> (5, 4, 6) -> 6 -> (5, 4, 3) -> 10 again (5) -> ...
        #expect(additions == [0, 2, 0])
        #expect(ReplicaCounts.counts(loads: [10, 4, 6], extraSlots: 3, maximumReplicas: 2) == [2, 2, 2])
    }
}
