import MoECore
import PerfModel
import Topology

/// Plans and evaluates expert placements for one instance: the entry point the engine, the simulator
/// and `moeserve plan` use.
///
/// ```swift
/// let planner = try PlacementPlanner(request)      // checks the request and that the weights fit
/// let plan = try planner.plan(.planner)            // placement + metrics (+ migration from previous)
/// let yesterday = try planner.evaluate(saved)      // a saved placement under today's loads
/// ```
public struct PlacementPlanner: Sendable {
    /// The request planned for.
    public let request: PlacementRequest
    /// The model's routing.
    public let routing: ExpertRouting
    /// The instance's devices, grouped by node.
    public let instance: InstanceDevices
    /// The step-time model of the instance, for MoE layer times, link bytes and memory.
    public let stepTimeModel: StepTimeModel
    let traffic: TrafficModel

    /// Checks `request` and builds the models its metrics come from.
    /// - Throws: ``PlacementError`` when the request is inconsistent or the weights do not fit.
    public init(_ request: PlacementRequest) throws {
        routing = try request.validate()
        self.request = request
        instance = InstanceDevices(topology: request.topology, offset: request.deviceOffset, count: request.devices)
        traffic = TrafficModel(instance: instance, routing: routing)
        let configuration = InstanceConfiguration(
            model: request.model, topology: request.topology, deviceOffset: request.deviceOffset,
            devices: request.devices,
            redundantExperts: request.devices * request.slotsPerDevice - routing.experts,
            weightFormat: request.weightFormat, microBatches: 1)
        do {
            stepTimeModel = try StepTimeModel(configuration)
        } catch let error as PerfModelError {
            if case .doesNotFit = error { throw PlacementError.weightsDoNotFit(error.description) }
            throw PlacementError.invalidRequest(error.description)
        }
        let weights = stepTimeModel.memory.weightBytesPerDevice
        if let limit = request.weightMemoryLimit, weights > limit {
            throw PlacementError.weightsDoNotFit(
                "\(request.slotsPerDevice) expert slots per layer and the shared weights need \(weights) per "
                    + "device, but only \(limit) is left for weights; use more devices or fewer redundant experts")
        }
    }

    /// A placement made by `algorithm`, with its metrics and (when the request has a previous
    /// placement) the migration to it.
    /// - Throws: ``PlacementError/invalidRequest(_:)`` when a move budget is asked of an algorithm that
    ///   always plans from scratch.
    public func plan(_ algorithm: PlacementAlgorithm = .planner) throws -> PlacementPlan {
        if request.maximumMoves != nil, algorithm != .planner {
            throw PlacementError.invalidRequest(
                "\(algorithm.rawValue) plans from scratch; a budget on moves needs the planner")
        }
        return evaluated(placement(algorithm))
    }

    /// The metrics of `placement` under the request's loads, without re-planning.
    /// - Throws: ``PlacementError/placementMismatch(_:)`` when it does not fit the request.
    public func evaluate(_ placement: ExpertPlacement) throws -> PlacementPlan {
        try request.check(placement, role: "the placement to evaluate")
        return evaluated(placement)
    }

    /// The placement `algorithm` makes, without metrics (what the benchmark times).
    public func placement(_ algorithm: PlacementAlgorithm) -> ExpertPlacement {
        let layers = (0..<request.loads.layers).map { Array(request.loads.row($0)) }
        let layouts: [LayerLayout]
        switch algorithm {
        case .none:
            let layout = LayerLayout.noReplication(
                experts: routing.experts, devices: request.devices, slotsPerDevice: request.slotsPerDevice)
            layouts = Array(repeating: layout, count: layers.count)
        case .eplb:
            layouts = layers.map(eplbLayout)
        case .planner:
            if let previous = request.previous, let budget = request.maximumMoves {
                layouts = Rebalancer.rebalance(previous: previous, loads: layers, maximumMoves: budget)
            } else {
                layouts = layers.map(plannedLayout)
            }
        }
        return ExpertPlacement(
            devices: request.devices, slotsPerDevice: request.slotsPerDevice, experts: routing.experts,
            physicalToLogical: layouts.map(\.experts), slotShares: layouts.map(\.shares))
    }

    /// EPLB's layout of one layer, over the nodes the instance spans.
    func eplbLayout(_ loads: [Double]) -> LayerLayout {
        let nodes = instance.isEvenlySpread ? instance.nodes : 1
        let map = EPLBBaseline.physicalToLogical(
            loads: loads, physicalExperts: request.devices * request.slotsPerDevice, groups: routing.groups,
            nodes: nodes, gpus: request.devices)
        return LayerLayout(slotsPerDevice: request.slotsPerDevice, experts: map)
    }

    /// The planner's layout of one layer: balanced, then arranged over the topology.
    func plannedLayout(_ loads: [Double]) -> LayerLayout {
        let balanced = BalancedLayerPlanner.plan(
            loads: loads, devices: request.devices, slotsPerDevice: request.slotsPerDevice)
        guard stepTimeModel.communication.transport == .internode else { return balanced }
        let lowLatency = request.phase == .decode
        let assigned = DeviceAssignment.assign(
            balanced, loads: loads, traffic: traffic, objective: lowLatency ? .remoteCopies : .remoteNodes)
        guard !lowLatency, routing.groups > 1 else { return assigned }
        // Normal kernels: trade a little balance for groups gathered on nodes when that is faster.
        var best = (layout: assigned, seconds: moeLayerTime(assigned, loads: loads).total.seconds)
        let candidates = GroupConsolidation.candidates(
            assigned, loads: loads, instance: instance, routing: routing, slacks: Self.consolidationSlacks)
        for candidate in candidates {
            let seconds = moeLayerTime(candidate, loads: loads).total.seconds
            if seconds < best.seconds { best = (candidate, seconds) }
        }
        return best.layout
    }

    /// How far above the busiest device ``GroupConsolidation`` may let a device rise, tried in turn.
    static let consolidationSlacks = [0.005, 0.01, 0.02]
}
