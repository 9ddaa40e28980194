/// Local search on a layout: repeatedly swap one slot of the most loaded device with one slot of
/// another device when that lowers the larger of the two loads, taking the swap that lowers it most.
///
/// A slot carries its current token share with it, so the total per device changes by the difference
/// of the two slots' loads and the search never raises the maximum. It stops when no swap helps.
enum SwapRefinement {
    /// Improves `layout` in place; `deviceLoads` must be its current device loads and is kept current.
    /// - Parameter maximumSwaps: a bound on the work (each swap strictly lowers one device's load).
    static func refine(_ layout: inout LayerLayout, loads: [Double], deviceLoads: inout [Double], maximumSwaps: Int) {
        let slots = layout.slotsPerDevice
        let devices = layout.devices
        guard devices > 1 else { return }
        var slotLoads = layout.experts.indices.map { loads[layout.experts[$0]] * layout.shares[$0] }
        for _ in 0..<maximumSwaps {
            var busiest = 0
            for device in 1..<devices where deviceLoads[device] > deviceLoads[busiest] { busiest = device }
            let peak = deviceLoads[busiest]
            let tolerance = peak * 1e-12
            var best: (pairMaximum: Double, from: Int, to: Int)?
            for from in layout.slots(of: busiest) {
                let outgoing = slotLoads[from]
                for device in 0..<devices where device != busiest {
                    let room = peak - deviceLoads[device]
                    guard room > tolerance else { continue }
                    for to in layout.slots(of: device) {
                        let delta = outgoing - slotLoads[to]
                        guard delta > 0, delta < room else { continue }
                        let pairMaximum = max(peak - delta, deviceLoads[device] + delta)
                        guard pairMaximum < (best?.pairMaximum ?? peak - tolerance) else { continue }
                        let incoming = layout.experts[to]
                        let moving = layout.experts[from]
                        guard incoming != moving, !layout.device(busiest, holds: incoming),
                            !layout.device(device, holds: moving)
                        else { continue }
                        best = (pairMaximum, from, to)
                    }
                }
            }
            guard let (_, from, to) = best else { return }
            let delta = slotLoads[from] - slotLoads[to]
            deviceLoads[busiest] -= delta
            deviceLoads[to / slots] += delta
            layout.experts.swapAt(from, to)
            layout.shares.swapAt(from, to)
            slotLoads.swapAt(from, to)
        }
    }
}
