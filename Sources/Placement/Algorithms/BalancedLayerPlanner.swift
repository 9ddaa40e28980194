/// The planner's balance stage for one layer: the fewest-possible-maximum replica counts, an LPT
/// packing of the replicas, swap refinement, and uneven token splits between replicas.
///
/// 1. ``ReplicaCounts`` gives each extra slot to the expert with the highest load per replica (at
///    most one replica per device).
/// 2. ``SlotPacking`` places the replicas, heaviest first, on the least loaded device with room.
/// 3. ``SwapRefinement`` swaps slots between the most loaded device and others while that helps.
/// 4. ``ShareBalancing`` lets replicated experts send more tokens to their less loaded copies; then
///    swaps (now carrying those shares) and splits alternate while they still lower the maximum.
enum BalancedLayerPlanner {
    /// Rounds of swaps and re-splitting after the first split.
    static let refinementRounds = 2

    /// A balanced layout of one layer with `loads` over `devices` devices of `slotsPerDevice` slots.
    /// - Precondition: `devices * slotsPerDevice >= loads.count` and `slotsPerDevice <= loads.count`.
    static func plan(loads: [Double], devices: Int, slotsPerDevice: Int) -> LayerLayout {
        let counts = ReplicaCounts.counts(
            loads: loads, extraSlots: devices * slotsPerDevice - loads.count, maximumReplicas: devices)
        var layout = SlotPacking.longestProcessingTime(
            loads: loads, counts: counts, devices: devices, slotsPerDevice: slotsPerDevice)
        let maximumSwaps = 4 * devices * slotsPerDevice
        var deviceLoads = layout.deviceLoads(loads)
        SwapRefinement.refine(&layout, loads: loads, deviceLoads: &deviceLoads, maximumSwaps: maximumSwaps)
        deviceLoads = ShareBalancing.balance(&layout, loads: loads)
        for _ in 0..<refinementRounds {
            let peak = deviceLoads.max() ?? 0
            SwapRefinement.refine(&layout, loads: loads, deviceLoads: &deviceLoads, maximumSwaps: maximumSwaps)
            deviceLoads = ShareBalancing.balance(&layout, loads: loads)
            guard (deviceLoads.max() ?? 0) < peak * (1 - 1e-9) else { break }
        }
        return layout
    }
}
