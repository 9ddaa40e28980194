import MoECore
import PerfModel
import Topology

/// A scenario's deployment made runnable: the cluster topology and every serving instance with its
/// devices, step-time model, scheduler configuration and KV cache.
///
/// Both drivers of the scheduler core start here, so that the simulator (virtual clock) and the engine
/// (wall clock) run exactly the same instances:
///
/// ```swift
/// let plan = try DeploymentPlan(scenario: Scenario.load(file: "Simulations/default.yaml"))
/// for instance in plan.instances {
///     var scheduler = try instance.makeScheduler()
///     // enqueue, schedule, price the batch with instance.stepDuration(of:), commit
/// }
/// ```
///
/// Instances take consecutive devices of the topology in the order of the scenario's instance groups.
public struct DeploymentPlan: Sendable {
    /// The scenario the plan was built from.
    public let scenario: Scenario
    /// The topology of the cluster's own hosts (pool 0).
    public let topology: ClusterTopology
    /// The topology of every host pool, pool 0 first.
    public let pools: [ClusterTopology]
    /// The pools on their scale-out fabric: KV-transfer paths between any two devices, NICs numbered.
    public let fabric: ClusterFabric
    /// Every instance, group by group, in file order.
    public let instances: [InstancePlan]
    /// The measured expert loads the step-time models use, or nil for balanced routing.
    public let expertLoad: ExpertLoadMatrix?

    /// Builds every instance of `scenario`.
    ///
    /// - Parameter placements: expert placements by instance index (from the placement planner); an
    ///   instance without one uses the contiguous placement.
    /// - Throws: `InputFileError` naming the scenario file, the instance group's line and key path and the
    ///   problem (weights that do not fit, an unreadable expert-load file, a configuration the step-time
    ///   model rejects).
    public init(scenario: Scenario, placements: [Int: ExpertPlacement] = [:]) throws {
        self.scenario = scenario
        var pools: [ClusterTopology] = []
        for (index, pool) in scenario.pools.enumerated() {
            do {
                pools.append(try ClusterTopology(cluster: pool.cluster, catalog: scenario.catalog))
            } catch {
                throw InputFileError(
                    file: scenario.file, keyPath: index == 0 ? "cluster" : "cluster.pools[\(index - 1)]",
                    message: "\(error)")
            }
        }
        self.pools = pools
        topology = pools[0]
        fabric = ClusterFabric(pools: pools)
        switch scenario.expertLoad {
        case .balanced: expertLoad = nil
        case .file(let path):
            do {
                expertLoad = try ExpertLoadFile.read(path: path, model: scenario.model)
            } catch {
                throw InputFileError(file: scenario.file, keyPath: "expert_load", message: "\(error)")
            }
        }
        var instances: [InstancePlan] = []
        var offsets = [Int](repeating: 0, count: pools.count)
        let poolStarts = Self.poolDeviceStarts(scenario)
        for (groupIndex, group) in scenario.deployment.enumerated() {
            for indexInGroup in 0..<group.count {
                let index = instances.count
                let offset = offsets[group.pool]
                do {
                    instances.append(
                        try InstancePlan(
                            index: index, group: groupIndex, indexInGroup: indexInGroup, spec: group,
                            scenario: scenario, topology: pools[group.pool], deviceOffset: offset,
                            clusterDeviceOffset: poolStarts[group.pool] + offset, expertLoad: expertLoad,
                            placement: placements[index]))
                } catch {
                    throw InputFileError(
                        file: scenario.file, line: group.sourceLine, keyPath: "deployment.instances[\(groupIndex)]",
                        message: "\(error)")
                }
                offsets[group.pool] += group.devicesPerInstance
            }
        }
        self.instances = instances
    }

    /// Each pool's first device in the cluster-wide numbering.
    static func poolDeviceStarts(_ scenario: Scenario) -> [Int] {
        var starts: [Int] = []
        var total = 0
        for pool in scenario.pools {
            starts.append(total)
            total += pool.devices
        }
        return starts
    }

    /// Devices the instances use.
    public var deployedDevices: Int { instances.reduce(0) { $0 + $1.devices } }
}
