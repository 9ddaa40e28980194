import MoECore

extension InstancePlan {
    /// Each expert-parallel rank's share of the routed token copies, relative to an even split and averaged
    /// over the MoE layers: 1 everywhere under balanced routing, above 1 on the devices that hot experts
    /// load. Device `d` of the instance (0-based) is expert-parallel rank `d % ep`. Empty for a dense model.
    ///
    /// Computed from the expert-load profile and the placement the step-time model uses, in
    /// O(MoE layers x expert slots).
    public var expertLoadShares: [Double] {
        let configuration = stepTimeModel.configuration
        guard let moe = configuration.model.moe else { return [] }
        let ranks = configuration.expertParallel
        guard let load = configuration.expertLoad, load.layers > 0 else {
            return Array(repeating: 1, count: ranks)
        }
        let placement =
            configuration.placement
            ?? .contiguous(
                layers: load.layers, experts: moe.routedExperts, devices: ranks,
                slotsPerDevice: configuration.slotsPerDevice)
        var shares = [Double](repeating: 0, count: ranks)
        for layer in 0..<load.layers {
            let perRank = placement.deviceLoads(layer: layer, loads: load.row(layer))
            let mean = perRank.reduce(0, +) / Double(ranks)
            for rank in 0..<ranks { shares[rank] += mean > 0 ? perRank[rank] / mean : 1 }
        }
        return shares.map { $0 / Double(load.layers) }
    }
}
