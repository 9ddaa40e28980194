import Foundation
import MoECore
import Testing

@testable import Placement

/// Placements saved as JSON read back exactly; a malformed file names the key path and what is wrong.
@Suite struct PlacementFileTests {
    static func write(_ object: Any) throws -> String {
        let path = NSTemporaryDirectory() + "placement-" + UUID().uuidString + ".json"
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func loadError(_ object: Any) throws -> String? {
        let path = try write(object)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ExpertPlacement.load(file: path)
            return nil
        } catch let error as InputFileError {
            return error.keyPath + ": " + error.message
        }
    }

    @Test func aSavedPlanReadsBackAsTheSamePlacement() throws {
        let loads = ExpertLoads.zipf(model: Catalog.deepSeekV3, exponent: 1.1, tokens: 50_000, seed: 1)
        let plan = try PlacementPlanner(Fixtures.request(devices: 16, redundant: 16, loads: loads)).plan()
        for object in [
            plan.placement.documentObject, ["placement": plan.placement.documentObject, "balancedness": 0.9],
        ] {
            let path = try Self.write(object)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let read = try ExpertPlacement.load(file: path)
            #expect(read.physicalToLogical == plan.placement.physicalToLogical)
            #expect(
                zip(read.slotShares.joined(), plan.placement.slotShares.joined()).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }

    @Test func malformedPlacementsNameTheProblem() throws {
        let good = ExpertPlacement.contiguous(layers: 2, experts: 4, devices: 2, slotsPerDevice: 3).documentObject
        func edited(_ key: String, _ value: Any) -> [String: Any] {
            var object = good
            object[key] = value
            return object
        }
        #expect(
            try Self.loadError(edited("physical_to_logical", [[0, 1, 2, 3, 0, 1], [0, 1, 2, 3, 0]]))
                == "physical_to_logical[1]: 5 slots, expected 6 (devices x slots_per_device)")
        #expect(
            try Self.loadError(edited("physical_to_logical", [[0, 1, 2, 3, 0, 1], [0, 1, 2, 2, 0, 1]]))
                == "physical_to_logical[1]: expert 3 has no slot; every expert needs at least one")
        #expect(
            try Self.loadError(edited("physical_to_logical", [[0, 1, 2, 3, 0, 9], [0, 1, 2, 3, 0, 1]]))?.hasPrefix(
                "physical_to_logical[0][5]: expected an integer from 0 to 3") == true)
        let shares = try Self.loadError(
            edited("slot_shares", [[0.5, 0.5, 1, 1, 0.5, 0.5], [0.5, 0.5, 1, 1, 0.25, 0.5]]))
        #expect(shares == "slot_shares[1]: the shares of expert 0's slots sum to 0.75, expected 1")
        #expect(try Self.loadError(edited("slot", 3))?.contains("unknown key 'slot'") == true)
    }
}
