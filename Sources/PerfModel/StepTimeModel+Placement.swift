import MoECore

/// What the placement planner asks of the step-time model: how long one MoE layer takes for a given
/// spread of routed token copies over the expert-parallel devices.
extension StepTimeModel {
    /// One MoE layer's routed-expert time for one step in which the expert-parallel devices receive
    /// `deviceTokenLoads` routed token copies (one entry per device, in placement order). The busiest
    /// device sets the expert time, and its receive traffic the dispatch and combine time.
    /// `lowLatency` picks the decode kernels on an internode group; `footprint` says where a token's
    /// copies travel under the placement (the communication model's uniform one when nil). Runs in
    /// O(devices).
    public func moeLayerTime(
        deviceTokenLoads: [Double], lowLatency: Bool, footprint: RouteFootprint? = nil
    ) -> MoELayerTime {
        let total = deviceTokenLoads.reduce(0, +)
        guard let busiest = deviceTokenLoads.max(), total > 0, shape.expertsPerToken > 0 else {
            return MoELayerTime(experts: .zero, dispatch: .zero, combine: .zero)
        }
        let rows = busiest / shape.slots
        let experts =
            gemm.cost(groups: shape.slots, rows: rows, n: 2 * shape.expertIntermediate, k: shape.hidden)
            + gemm.cost(groups: shape.slots, rows: rows, n: shape.hidden, k: shape.expertIntermediate)
        let mean = total / Double(deviceTokenLoads.count)
        let sendTokens = mean / shape.expertsPerToken
        let dispatch = communication.dispatch(
            tokens: sendTokens, receiveImbalance: busiest / mean, lowLatency: lowLatency, footprint: footprint)
        let combine = communication.combine(
            tokens: sendTokens, receiveImbalance: busiest / mean, lowLatency: lowLatency, footprint: footprint)
        return MoELayerTime(
            experts: .seconds(experts.seconds), dispatch: .seconds(dispatch.seconds),
            combine: .seconds(combine.seconds))
    }
}

/// One MoE layer's routed-expert part: expert GEMMs on the busiest device, dispatch and combine.
public struct MoELayerTime: Hashable, Sendable {
    /// Routed-expert GEMMs on the busiest device.
    public var experts: SimDuration
    /// Sending the tokens to their experts.
    public var dispatch: SimDuration
    /// Sending the expert outputs back.
    public var combine: SimDuration

    /// The three run one after the other (one micro-batch).
    public var total: SimDuration { experts + dispatch + combine }
}
