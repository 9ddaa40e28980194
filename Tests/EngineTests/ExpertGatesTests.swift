import MoECore
import Testing

@testable import Engine

@Suite struct ExpertGatesTests {
    @Test func inclusionProbabilitiesAreKTimesTheLoadShareCappedAtOne() {
        let even = ExpertGates.inclusionProbabilities(loads: [1, 1, 2, 4], expertsPerToken: 2)
        #expect(even == [0.25, 0.25, 0.5, 1.0])
        // Expert 3 would get 2 x 12/15 = 1.6: it is capped at 1 and the remaining pick spread over the rest.
        let capped = ExpertGates.inclusionProbabilities(loads: [1, 1, 1, 12], expertsPerToken: 2)
        let expected: [Double] = [1.0 / 3, 1.0 / 3, 1.0 / 3, 1]
        #expect(zip(capped, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(capped.reduce(0, +) - 2) < 1e-12)
    }

    @Test func everyTokenPicksKDistinctExpertsEachWithExactlyItsInclusionProbability() throws {
        let loads = [[5.0, 1, 1, 1, 0, 2, 8, 3], [1, 1, 1, 1, 1, 1, 1, 1]]
        let matrix = try ExpertLoadMatrix(rows: loads)
        var generator = SeededGenerator(seed: 3)
        let gates = ExpertGates(loads: matrix, expertsPerToken: 3, generator: &generator)
        // Systematic sampling over an even grid of draws: each expert's share of the grid is its probability.
        let grid = 100_000
        for layer in 0..<2 {
            var hits = [Int](repeating: 0, count: 8)
            for step in 0..<grid {
                var picked: [Int] = []
                gates.route(layer: layer, (Double(step) + 0.5) / Double(grid)) { picked.append($0) }
                #expect(picked.count == 3 && Set(picked).count == 3)
                for expert in picked { hits[expert] += 1 }
            }
            let probabilities = ExpertGates.inclusionProbabilities(loads: loads[layer], expertsPerToken: 3)
            for expert in 0..<8 {
                #expect(abs(Double(hits[expert]) / Double(grid) - probabilities[expert]) < 1e-4)
            }
            if layer == 0 { #expect(hits[4] == 0) }  // an expert without load is never picked
        }
    }
}
