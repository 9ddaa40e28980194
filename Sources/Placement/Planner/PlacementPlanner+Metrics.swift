import MoECore
import PerfModel

extension PlacementPlanner {
    /// `placement` with its metrics and the migration from the request's previous placement.
    func evaluated(_ placement: ExpertPlacement) -> PlacementPlan {
        PlacementPlan(
            placement: placement, metrics: metrics(of: placement),
            migration: request.previous.map { ExpertMigration(from: $0, to: placement, request: request) })
    }

    /// Balance, MoE layer time, link bytes and weight memory of `placement` for the request's step.
    func metrics(of placement: ExpertPlacement) -> PlacementMetrics {
        let devices = Double(request.devices)
        let tokens = request.tokensPerDevice
        let lowLatency = request.phase == .decode
        let communication = stepTimeModel.communication
        let messageBytes = communication.dispatchMessageBytes + communication.combineMessageBytes
        let nicCarried = communication.transport == .internode
        // Device detail feeds the intranode and normal kernels' device counts and, for low latency,
        // the copies each device receives; skip it when nothing reads it.
        let crossing = instance.nicCrossesSocket.contains(true)
        let deviceDetail = communication.transport == .intranode || (nicCarried && (!lowLatency || crossing))
        var layerBalancedness = [Double]()
        var shares = [[Double]]()
        var moeSeconds = 0.0
        var nicBytes = 0.0
        var scaleUpBytes = 0.0
        var interSocketBytes = 0.0
        var remoteNodes = 0.0
        var remoteCopies = 0.0
        for layer in 0..<placement.layers {
            let loads = Array(request.loads.row(layer))
            let layout = LayerLayout(placement, layer: layer)
            let deviceLoads = layout.deviceLoads(loads)
            let total = deviceLoads.reduce(0, +)
            let peak = deviceLoads.max() ?? 0
            layerBalancedness.append(peak > 0 ? total / devices / peak : 1)
            shares.append(deviceLoads.map { total > 0 ? $0 / total : 1 / devices })

            let flow = traffic.traffic(loads: loads, layout: layout, deviceDetail: deviceDetail)
            moeSeconds += moeLayerTime(deviceLoads: deviceLoads, footprint: flow.footprint).total.seconds
            let dispatch = communication.dispatch(
                tokens: tokens, receiveImbalance: 1, lowLatency: lowLatency, footprint: flow.footprint)
            let combine = communication.combine(
                tokens: tokens, receiveImbalance: 1, lowLatency: lowLatency, footprint: flow.footprint)
            nicBytes += devices * (dispatch.nicBytes + combine.nicBytes)
            scaleUpBytes += devices * (dispatch.scaleUpBytes + combine.scaleUpBytes)
            remoteNodes += flow.footprint.remoteNodes
            remoteCopies += flow.footprint.remoteCopies
            guard nicCarried, crossing else { continue }
            for device in 0..<request.devices where instance.nicCrossesSocket[device] {
                let node = instance.node[device]
                // Low latency: the device's own tokens go out and its experts' inputs come in over RDMA.
                // Normal kernels: RDMA lands on the same-rank device of each node, so a device receives
                // about what it sends.
                let copies =
                    lowLatency
                    ? flow.remoteCopiesBySourceNode[node] + devices * flow.remoteCopiesReceived[device]
                    : 2 * flow.remoteNodesBySourceNode[node]
                interSocketBytes += tokens * copies * messageBytes
            }
        }
        let layers = Double(max(placement.layers, 1))
        return PlacementMetrics(
            balancedness: layerBalancedness.reduce(0, +) / layers, layerBalancedness: layerBalancedness,
            deviceLoadShares: shares, moeLayerTime: .seconds(moeSeconds / layers), moeTimePerStep: .seconds(moeSeconds),
            nicBytes: Bytes(Int64(nicBytes.rounded())), scaleUpBytes: Bytes(Int64(scaleUpBytes.rounded())),
            interSocketBytes: Bytes(Int64(interSocketBytes.rounded())), remoteNodesPerToken: remoteNodes / layers,
            remoteCopiesPerToken: remoteCopies / layers, weightBytesPerDevice: stepTimeModel.memory.weightBytesPerDevice
        )
    }

    /// One MoE layer's routed-expert time for the request's step under `layout`.
    func moeLayerTime(_ layout: LayerLayout, loads: [Double]) -> MoELayerTime {
        let flow = traffic.traffic(loads: loads, layout: layout, deviceDetail: true)
        return moeLayerTime(deviceLoads: layout.deviceLoads(loads), footprint: flow.footprint)
    }

    /// The time when devices receive `deviceLoads` (in any unit: only their spread matters) and a
    /// token's copies travel as `footprint` says.
    private func moeLayerTime(deviceLoads: [Double], footprint: RouteFootprint) -> MoELayerTime {
        let total = deviceLoads.reduce(0, +)
        let copies = request.tokensPerDevice * Double(request.devices) * Double(routing.expertsPerToken)
        let tokenLoads = deviceLoads.map { total > 0 ? $0 / total * copies : copies / Double(deviceLoads.count) }
        return stepTimeModel.moeLayerTime(
            deviceTokenLoads: tokenLoads, lowLatency: request.phase == .decode, footprint: footprint)
    }
}
