import MoECore
import PerfModel

/// Instances rebuilt while a run goes on: with a new expert placement (a re-balance), or on fewer devices
/// after a loss (elastic expert parallelism).
extension DeploymentPlan {
    /// `instance` with its routed experts laid out by `placement` (nil: the contiguous layout); its step-time
    /// model, KV cache and limits are rebuilt, everything else is kept.
    /// - Throws: the step-time model's error when the placement does not fit the instance.
    public func rebuilt(_ instance: InstancePlan, placement: ExpertPlacement?) throws -> InstancePlan {
        try InstancePlan(
            index: instance.index, group: instance.group, indexInGroup: instance.indexInGroup, spec: instance.spec,
            scenario: scenario, topology: instance.topology, deviceOffset: instance.deviceOffset,
            clusterDeviceOffset: instance.clusterDeviceOffset, expertLoad: expertLoad, placement: placement)
    }

    /// `instance` serving on its first `devices` devices after losing the others, or nil when its layout cannot
    /// shrink so. A mixture-of-experts instance shrinks when its expert parallelism spans all its devices
    /// (SGLang's elastic EP): every device keeps its expert slots, the lost devices' share of the redundant
    /// experts is given up, and the remaining slots must still hold every routed expert. Attention keeps its
    /// tensor-parallel degree and loses data-parallel ranks. A dense model's tensor-parallel layout cannot
    /// shrink. The expert placement is reset to the contiguous one (the next re-balance plans it again).
    public func shrunk(_ instance: InstancePlan, toDevices devices: Int) -> InstancePlan? {
        var spec = instance.spec
        guard devices > 0, devices < spec.devicesPerInstance, devices % spec.attentionTP == 0 else { return nil }
        if let moe = scenario.model.moe {
            guard spec.ep == spec.devicesPerInstance else { return nil }
            let slots = (moe.routedExperts + spec.redundantExperts) / spec.ep
            guard slots * devices >= moe.routedExperts else { return nil }
            spec.ep = devices
            spec.redundantExperts = slots * devices - moe.routedExperts
        } else {
            guard spec.attentionTP == 1 else { return nil }
            spec.ep = 1
        }
        spec.devicesPerInstance = devices
        spec.attentionDP = devices / spec.attentionTP
        return try? InstancePlan(
            index: instance.index, group: instance.group, indexInGroup: instance.indexInGroup, spec: spec,
            scenario: scenario, topology: instance.topology, deviceOffset: instance.deviceOffset,
            clusterDeviceOffset: instance.clusterDeviceOffset, expertLoad: expertLoad, placement: nil)
    }
}
