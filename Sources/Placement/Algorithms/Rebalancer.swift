import MoECore

/// Re-planning under a budget: start from the placement in service, re-split tokens between the
/// replicas it already has (free: no weights move), then spend the budget one expert copy at a time
/// where it lowers a layer's busiest device the most.
///
/// One move overwrites a slot on a lightly loaded device (one whose expert keeps another replica) with
/// a new replica of an expert on the layer's busiest device, and re-splits the layer's tokens. Each
/// layer keeps its best next move; the move with the largest gain over all layers is applied first,
/// so the budget goes to the layers that need it.
enum Rebalancer {
    /// Lightest devices tried as the target of a new replica.
    static let candidateTargets = 4

    /// The layouts reached from `previous` with at most `maximumMoves` changed slots under `loads`.
    static func rebalance(previous: ExpertPlacement, loads: [[Double]], maximumMoves: Int) -> [LayerLayout] {
        var layouts = (0..<previous.layers).map { LayerLayout(previous, layer: $0) }
        for layer in layouts.indices { ShareBalancing.balance(&layouts[layer], loads: loads[layer]) }
        var next = layouts.indices.map { bestMove(layouts[$0], loads: loads[$0]) }
        for _ in 0..<maximumMoves {
            var chosen: Int?
            for layer in next.indices {
                guard let move = next[layer] else { continue }
                if chosen == nil || move.gain > next[chosen!]!.gain { chosen = layer }
            }
            guard let layer = chosen, let move = next[layer] else { break }
            layouts[layer] = move.result
            next[layer] = bestMove(move.result, loads: loads[layer])
        }
        return layouts
    }

    /// A move and the layout after it; `gain` is how much the busiest device's share of the layer falls.
    struct Move {
        var gain: Double
        var result: LayerLayout
    }

    /// The single-copy move that lowers `layout`'s busiest device the most, or nil when none helps.
    static func bestMove(_ layout: LayerLayout, loads: [Double]) -> Move? {
        let deviceLoads = layout.deviceLoads(loads)
        let total = deviceLoads.reduce(0, +)
        guard total > 0, let peak = deviceLoads.max(), let busiest = deviceLoads.firstIndex(of: peak) else {
            return nil
        }
        let counts = layout.replicaCounts(experts: loads.count)
        let byLoad = deviceLoads.indices.sorted {
            deviceLoads[$0] != deviceLoads[$1] ? deviceLoads[$0] < deviceLoads[$1] : $0 < $1
        }
        var best: Move?
        for source in layout.slots(of: busiest) {
            let expert = layout.experts[source]
            guard loads[expert] > 0 else { continue }
            let targets = byLoad.lazy.filter { $0 != busiest && !layout.device($0, holds: expert) }.prefix(
                candidateTargets)
            for target in targets {
                // The slot whose expert keeps another replica and carries the least load.
                let spare = layout.slots(of: target).filter { counts[layout.experts[$0]] > 1 }
                    .min {
                        loads[layout.experts[$0]] * layout.shares[$0] < loads[layout.experts[$1]] * layout.shares[$1]
                    }
                guard let slot = spare else { continue }
                var candidate = layout
                let evicted = candidate.experts[slot]
                let kept = 1 - candidate.shares[slot]
                for other in candidate.experts.indices where candidate.experts[other] == evicted && other != slot {
                    candidate.shares[other] =
                        kept > 0 ? candidate.shares[other] / kept : 1 / Double(counts[evicted] - 1)
                }
                candidate.experts[slot] = expert
                candidate.shares[slot] = 0
                let balanced = ShareBalancing.balance(&candidate, loads: loads)
                let gain = (peak - (balanced.max() ?? peak)) / total
                if gain > 1e-9, gain > (best?.gain ?? 0) { best = Move(gain: gain, result: candidate) }
            }
        }
        return best
    }
}
