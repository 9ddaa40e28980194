import MoECore
import PerfModel
import Testing
import Topology

@testable import Placement

/// Requests the planner must refuse, each with an error that says what does not fit.
@Suite struct PlacementRequestTests {
    static func refusal(_ make: () throws -> PlacementPlanner) -> PlacementError? {
        do {
            _ = try make()
            return nil
        } catch let error as PlacementError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func aMatrixOfTheWrongShapeIsRefused() throws {
        let narrow = ExpertLoadMatrix.balanced(layers: 58, experts: 255)
        let error = Self.refusal { try PlacementPlanner(Fixtures.request(devices: 32, loads: narrow)) }
        #expect(
            error?.description
                == "expert loads: the matrix is 58 layers x 255 experts, expected 58 MoE layers x 256 routed experts for deepseek-v3"
        )
        let short = ExpertLoadMatrix.balanced(layers: 57, experts: 256)
        #expect(Self.refusal { try PlacementPlanner(Fixtures.request(devices: 32, loads: short)) } != nil)
    }

    @Test func moreReplicasThanSlotsAreRefused() throws {
        let topology = try ClusterTopology.smallest(holding: 144, of: Catalog.h800)
        #expect(
            throws: PlacementError.slots(
                "256 experts and 32 redundant replicas need 288 slots, but 144 devices x 1 slots hold 144")
        ) {
            try PlacementRequest(
                model: Catalog.deepSeekV3, topology: topology, devices: 144, redundantExperts: 32, slotsPerDevice: 1,
                loads: Fixtures.uniformLoads())
        }
        let mixtral = ExpertLoadMatrix.balanced(layers: 32, experts: 8)
        let tooManySlots = Self.refusal {
            try PlacementPlanner(
                PlacementRequest(
                    model: Catalog.mixtral8x7B, topology: topology, devices: 2, slotsPerDevice: 9, loads: mixtral))
        }
        #expect(tooManySlots?.description.contains("9 slots per device exceed the 8 routed experts") == true)
    }

    @Test func weightsThatDoNotFitAreRefused() throws {
        // 36 expert slots per layer on each of 8 H800s: over 80 GB of expert weights alone.
        let error = Self.refusal { try PlacementPlanner(Fixtures.request(devices: 8, loads: Fixtures.uniformLoads())) }
        guard case .weightsDoNotFit(let message) = error else {
            Issue.record("expected weightsDoNotFit, got \(String(describing: error))")
            return
        }
        #expect(message.contains("per device but NVIDIA H800 SXM5 has"))
        var capped = try Fixtures.request(devices: 32, loads: Fixtures.uniformLoads())
        capped.weightMemoryLimit = .gigabytes(20)
        let limit = Self.refusal { try PlacementPlanner(capped) }
        #expect(limit?.description.contains("only 20.0 GB is left for weights") == true)
    }

    @Test func inconsistentRequestsAreRefused() throws {
        let uniform = Fixtures.uniformLoads()
        let dense = Self.refusal {
            try PlacementPlanner(
                PlacementRequest(
                    model: Catalog.llama31_70B, topology: ClusterTopology.smallest(holding: 8, of: Catalog.h800),
                    devices: 8, loads: uniform))
        }
        #expect(dense?.description.contains("dense model") == true)
        var outside = try Fixtures.request(devices: 32, loads: uniform)
        outside.deviceOffset = 8
        #expect(Self.refusal { try PlacementPlanner(outside) }?.description.contains("do not fit the cluster") == true)
        let otherShape = ExpertPlacement.contiguous(layers: 58, experts: 256, devices: 16, slotsPerDevice: 18)
        let mismatch = Self.refusal {
            try PlacementPlanner(Fixtures.request(devices: 32, loads: uniform, previous: otherShape))
        }
        #expect(mismatch?.description.contains("the previous placement covers 16 devices x 18 slots") == true)
        let budget = Self.refusal {
            try PlacementPlanner(Fixtures.request(devices: 32, loads: uniform, maximumMoves: 4))
        }
        #expect(budget?.description.contains("needs the previous placement") == true)
        let planner = try PlacementPlanner(
            Fixtures.request(
                devices: 32, loads: uniform,
                previous: .contiguous(layers: 58, experts: 256, devices: 32, slotsPerDevice: 9), maximumMoves: 4))
        #expect(throws: PlacementError.self) { try planner.plan(.eplb) }
    }
}
