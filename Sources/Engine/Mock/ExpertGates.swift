import MoECore

/// Top-k routing in the mock backend: for every MoE layer, each token picks `k` distinct experts, expert
/// `e` with probability `pi_e = k x` its share of the layer's load (capped at 1, the excess spread over the
/// others), so routed counts follow the load profile exactly in expectation.
///
/// The draw is systematic sampling (Madow 1949): lay the experts' `pi_e` end to end on `[0, k)` in a seeded
/// random order, draw one uniform `u` in `[0, 1)`, and take the experts under `u, u + 1, ..., u + k - 1`.
/// Because no `pi_e` exceeds 1, the `k` points fall on `k` different experts, and each expert is hit with
/// probability exactly `pi_e`. A guide table makes each of the `k` lookups O(1) on average, so routing a
/// token costs one uniform and about `k` table probes per layer. All layers live in flat arrays, so the hot
/// loop touches contiguous memory and no reference counts.
struct ExpertGates: Sendable {
    /// MoE layers.
    let layers: Int
    /// Routed experts per layer.
    let experts: Int
    /// Experts each token picks per layer.
    let expertsPerToken: Int
    /// Per layer (`layer * experts + i`), the expert laid out `i`-th on `[0, k)`.
    private let order: [Int32]
    /// Per layer, where the interval of the `i`-th expert laid out ends (a layer's last is exactly `k`).
    private let upper: [Double]
    /// Per layer (`layer * guideSlots + g`), the first layout position whose interval ends after
    /// `g / guideScale`.
    private let guide: [Int32]
    private let guideSlots: Int
    private let guideScale: Double

    /// The gates of every row of `loads` (each with at least `expertsPerToken` positive loads); `generator`
    /// fixes the layout orders.
    init(loads: ExpertLoadMatrix, expertsPerToken k: Int, generator: inout SeededGenerator) {
        layers = loads.layers
        experts = loads.experts
        expertsPerToken = k
        guideSlots = 4 * loads.experts
        guideScale = Double(guideSlots) / Double(k)
        var order: [Int32] = []
        var upper: [Double] = []
        var guide: [Int32] = []
        order.reserveCapacity(layers * experts)
        upper.reserveCapacity(layers * experts)
        guide.reserveCapacity(layers * guideSlots)
        for layer in 0..<layers {
            let probabilities = Self.inclusionProbabilities(loads: Array(loads.row(layer)), expertsPerToken: k)
            var layerOrder = Array(Int32(0)..<Int32(experts))
            layerOrder.shuffle(using: &generator)
            var end = 0.0
            var layerUpper: [Double] = []
            for expert in layerOrder {
                end += probabilities[Int(expert)]
                layerUpper.append(end)
            }
            layerUpper[experts - 1] = Double(k)  // absorb rounding: every point below k finds an interval
            var position = 0
            for slot in 0..<guideSlots {
                let start = Double(slot) / guideScale
                while layerUpper[position] <= start { position += 1 }
                guide.append(Int32(position))
            }
            order += layerOrder
            upper += layerUpper
        }
        self.order = order
        self.upper = upper
        self.guide = guide
    }

    /// Calls `body` with each of the `k` experts that a token with uniform draw `u` in `[0, 1)` picks in
    /// `layer`.
    @inline(__always)
    func route(layer: Int, _ u: Double, _ body: (Int) -> Void) {
        let base = layer * experts
        let guideBase = layer * guideSlots
        for offset in 0..<expertsPerToken {
            let point = u + Double(offset)
            var position = base + Int(guide[guideBase + min(guideSlots - 1, Int(point * guideScale))])
            while upper[position] <= point { position += 1 }
            body(Int(order[position]))
        }
    }

    /// Each expert's probability of being among a token's `k` picks: `k x share`, capped at 1 with the
    /// excess redistributed over the uncapped experts in proportion to their loads (water-filling), so the
    /// probabilities sum to `k` whenever at least `k` experts carry load.
    static func inclusionProbabilities(loads: [Double], expertsPerToken k: Int) -> [Double] {
        var probabilities = [Double](repeating: 0, count: loads.count)
        var capped = [Bool](repeating: false, count: loads.count)
        while true {
            let free = loads.indices.filter { !capped[$0] }
            let freeLoad = free.reduce(0) { $0 + loads[$1] }
            let remaining = Double(k - (loads.count - free.count))
            var newlyCapped = false
            for index in free {
                let probability = freeLoad > 0 ? remaining * loads[index] / freeLoad : 0
                if probability >= 1 {
                    capped[index] = true
                    newlyCapped = true
                }
                probabilities[index] = min(1, probability)
            }
            if !newlyCapped { return probabilities }
        }
    }
}
