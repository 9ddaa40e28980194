import MoECore

extension PlacementRequest {
    /// Checks the request against itself, the model and the topology, and returns the model's routing.
    /// - Throws: ``PlacementError`` naming what does not fit and what was expected.
    public func validate() throws -> ExpertRouting {
        guard let routing = ExpertRouting(model: model) else {
            throw PlacementError.invalidRequest("\(model.key) is a dense model: it has no routed experts to place")
        }
        guard deviceOffset >= 0, deviceOffset + devices <= topology.deviceCount else {
            throw PlacementError.invalidRequest(
                "devices \(deviceOffset)..<\(deviceOffset + devices) do not fit the cluster's \(topology.deviceCount) "
                    + "devices (\(topology.hostCount) x \(topology.host.key))")
        }
        guard loads.layers == model.moeLayers, loads.experts == routing.experts else {
            throw PlacementError.loadShape(
                "the matrix is \(loads.layers) layers x \(loads.experts) experts, expected \(model.moeLayers) MoE "
                    + "layers x \(routing.experts) routed experts for \(model.key)")
        }
        guard devices * slotsPerDevice >= routing.experts else {
            throw PlacementError.slots(
                "\(devices) devices x \(slotsPerDevice) slots hold \(devices * slotsPerDevice) experts, fewer than "
                    + "the \(routing.experts) routed experts of \(model.key)")
        }
        guard slotsPerDevice <= routing.experts else {
            throw PlacementError.slots(
                "\(slotsPerDevice) slots per device exceed the \(routing.experts) routed experts: a device would "
                    + "hold two copies of one expert")
        }
        guard tokensPerDevice.isFinite, tokensPerDevice >= 0 else {
            throw PlacementError.invalidRequest(
                "tokens per device is \(tokensPerDevice), expected a finite non-negative number")
        }
        if let maximumMoves {
            guard maximumMoves >= 0 else {
                throw PlacementError.invalidRequest("maximum moves is \(maximumMoves), expected 0 or more")
            }
            guard previous != nil else {
                throw PlacementError.invalidRequest("a budget on moves needs the previous placement to move from")
            }
        }
        if let previous { try check(previous, role: "the previous placement") }
        return routing
    }

    /// Checks that `placement` covers this request's devices, slots, experts and layers.
    /// - Throws: ``PlacementError/placementMismatch(_:)`` naming `role` and what differs.
    public func check(_ placement: ExpertPlacement, role: String) throws {
        let experts = model.moe?.routedExperts ?? 0
        guard placement.devices == devices, placement.slotsPerDevice == slotsPerDevice,
            placement.experts == experts, placement.layers == loads.layers
        else {
            throw PlacementError.placementMismatch(
                "\(role) covers \(placement.devices) devices x \(placement.slotsPerDevice) slots, "
                    + "\(placement.experts) experts and \(placement.layers) layers; expected \(devices) x "
                    + "\(slotsPerDevice), \(experts) and \(loads.layers)")
        }
    }
}
