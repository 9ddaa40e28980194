import Deployment
import MoECore
import Topology

/// The cluster's dynamics: instances provisioned and released by the autoscalers, warming up and draining,
/// stopped by faults and restarted (shrunk or whole), and re-balanced.
extension ClusterSimulation.SimulationState {
    /// Sets up the autoscalers, the fault schedule and the re-balancer, with their first events.
    mutating func startDynamics() throws {
        let scenario = simulation.plan.scenario
        var first = 0
        for (group, spec) in scenario.deployment.enumerated() {
            let members = Array(first..<(first + spec.count))
            first += spec.count
            guard let policy = spec.autoscale else { continue }
            let controller = GroupAutoscaler(group: group, members: members, policy: policy)
            for index in members.dropFirst(controller.initialInstances) { release(index) }
            autoscalers.append(controller)
            queue.schedule(
                .autoscale, at: controller.nextDecision(after: .zero).nanosecondsSinceStart,
                target: Int32(autoscalers.count - 1))
        }
        if !scenario.faults.isEmpty {
            let schedule = FaultSchedule(
                scenario.faults, nodes: scenario.clusterNodes, devices: scenario.clusterDevices,
                generator: random.derived(stream: 1))
            for index in 0..<schedule.faults.count {
                queue.schedule(.fault, at: schedule[index].time.nanosecondsSinceStart, target: Int32(index))
            }
            faults = schedule
        }
        if let settings = scenario.rebalancing {
            rebalancer = ExpertRebalancer(settings, generator: random.derived(stream: 2))
            queue.schedule(.rebalance, at: (SimTime.zero + settings.interval).nanosecondsSinceStart)
        }
    }

    // MARK: - Lifecycle

    /// Releases `index`: it stops taking requests and its devices are no longer provisioned.
    mutating func release(_ index: Int) {
        setLifecycle(index, .released)
        restartPlans[index] = nil
        accounts.cost.capacity.adjust(pool: fullPlans[index].pool, by: -fullPlans[index].devices, at: now)
    }

    /// Provisions the released `index` at full size: it serves once warmed up.
    mutating func bringUp(_ index: Int, warmUp: SimDuration) {
        accounts.cost.capacity.adjust(pool: fullPlans[index].pool, by: fullPlans[index].devices, at: now)
        accounts.dynamics.scaling.scaleOuts += 1
        restartPlans[index] = fullPlans[index]
        startWarmUp(index, for: warmUp)
    }

    /// Puts `index` in warm-up for `duration`; it is ready at its end (unless superseded).
    mutating func startWarmUp(_ index: Int, for duration: SimDuration) {
        setLifecycle(index, .warming)
        queue.schedule(
            .instanceReady, at: (now + duration).nanosecondsSinceStart, target: Int32(index),
            generation: lifecycleGenerations[index])
    }

    /// The end of `index`'s warm-up or restart: it serves with its restart plan and takes requests.
    mutating func becomeReady(_ index: Int) {
        if let plan = restartPlans[index].take() {
            let restarted = restartingAfterFault[index]
            instances[index].replacePlan(plan)
            accounts.cost.update(instance: index, devices: plan.devices, pricePerHour: plan.pricePerHour)
            if restarted {
                accounts.dynamics.faults.instancesRestarted += 1
                if plan.devices < fullPlans[index].devices { accounts.dynamics.faults.instancesShrunk += 1 }
            }
        }
        restartingAfterFault[index] = false
        setLifecycle(index, .active)
        routeWaiting(stage: stageOfInstance[index])
    }

    /// Stops routing to `index`; it finishes its requests, then is released (or rebuilt at full size).
    mutating func drain(_ index: Int, thenRebuild rebuild: Bool) {
        rebuildsAfterDrain[index] = rebuild
        setLifecycle(index, .draining)
        finishDrainIfIdle(index)
    }

    /// Ends `index`'s drain once it holds nothing and no KV cache is on its way to it.
    mutating func finishDrainIfIdle(_ index: Int) {
        guard instances[index].isIdle, incoming[index].requests == 0 else { return }
        if rebuildsAfterDrain[index] {
            rebuildsAfterDrain[index] = false
            restartPlans[index] = fullPlans[index]
            restartingAfterFault[index] = true
            startWarmUp(index, for: faults?.restart ?? .zero)
        } else {
            release(index)
            accounts.dynamics.scaling.scaleIns += 1
        }
    }

    /// Moves `index` to `lifecycle`, routing to it only while active; cancels its pending ready event.
    mutating func setLifecycle(_ index: Int, _ lifecycle: SimulatedInstance.Lifecycle) {
        instances[index].lifecycle = lifecycle
        lifecycleGenerations[index] &+= 1
        stages[stageOfInstance[index]].setRoutable(index, lifecycle == .active, load: instances[index].load)
    }

    // MARK: - Autoscaling

    /// A decision of autoscaler `index`: measures its group, asks the controller how many instances it
    /// wants, provisions or drains to match, and schedules the next decision while work remains.
    mutating func autoscale(group index: Int) {
        guard workRemains else { return }
        let members = autoscalers[index].members
        let serving = members.filter { [.active, .warming].contains(instances[$0].lifecycle) }.count
        let (queueDelay, kvUsage) = measure(members)
        let desired = autoscalers[index].desired(at: now, current: serving, queueDelay: queueDelay, kvUsage: kvUsage)
        var count = serving
        for member in members where count < desired && instances[member].lifecycle == .draining {
            guard !rebuildsAfterDrain[member] else { continue }
            setLifecycle(member, .active)
            routeWaiting(stage: stageOfInstance[member])
            count += 1
        }
        let warmUp = autoscalers[index].policy.warmUp
        for member in members where count < desired && instances[member].lifecycle == .released {
            guard lostDevices(member) == 0 else { continue }
            bringUp(member, warmUp: warmUp)
            count += 1
        }
        for member in members.reversed() where count > desired && instances[member].lifecycle == .warming {
            guard !restartingAfterFault[member] else { continue }
            release(member)
            accounts.dynamics.scaling.scaleIns += 1
            count -= 1
        }
        for member in members.reversed() where count > desired && instances[member].lifecycle == .active {
            drain(member, thenRebuild: false)
            count -= 1
        }
        let next = autoscalers[index].nextDecision(after: now)
        queue.schedule(.autoscale, at: next.nanosecondsSinceStart, target: Int32(index))
    }

    /// The group's mean queueing delay (requests first scheduled since the last decision, and the age of those
    /// still waiting for their first schedule) and the mean KV usage of its active instances.
    private mutating func measure(_ members: [Int]) -> (SimDuration?, Double?) {
        var seconds = 0.0
        var samples = 0
        var usage = 0.0
        var active = 0
        for member in members {
            let delays = instances[member].takeQueueDelays()
            seconds += delays.seconds
            samples += delays.count
            if instances[member].lifecycle == .active {
                usage += instances[member].scheduler.kvUsage
                active += 1
            }
        }
        let isMember = Set(members)
        for slot in live.liveSlots where live[slot].scheduledAt < 0 && isMember.contains(live[slot].instance) {
            seconds += (now - live[slot].arrival).seconds
            samples += 1
        }
        return (samples > 0 ? .seconds(seconds / Double(samples)) : nil, active > 0 ? usage / Double(active) : nil)
    }

    // MARK: - Faults

    /// A fault strikes: its devices (or NIC) go down, every instance it hits stops and its requests move to
    /// other instances; each restarts on its surviving devices when its layout allows, else once repaired.
    mutating func strike(fault index: Int) {
        guard workRemains, let fault = faults?[index] else { return }
        accounts.dynamics.faults.failures += 1
        markDown(fault.target, by: 1)
        for instance in instances.indices where hits(fault.target, instance) {
            switch instances[instance].lifecycle {
            case .released: continue
            case .down: break
            case .active, .draining, .warming:
                setLifecycle(instance, .down)
                restartPlans[instance] = nil
                rebuildsAfterDrain[instance] = false
                accounts.dynamics.faults.instancesStopped += 1
                let held = instances[instance].stop(at: now, live: &live, accounts: &accounts)
                move(held, from: instance)
                instanceChanged(instance)
            }
            planRestart(instance)
        }
        if let repair = fault.repair {
            queue.schedule(.repair, at: (now + repair).nanosecondsSinceStart, target: Int32(index))
        }
    }

    /// A fault is repaired: its devices come back; an instance whole again restarts at full size (one serving
    /// shrunk drains first), and a random fault draws its component's next failure.
    mutating func repair(fault index: Int) {
        guard let fault = faults?[index] else { return }
        accounts.dynamics.faults.repairs += 1
        markDown(fault.target, by: -1)
        for instance in instances.indices where hits(fault.target, instance) {
            switch instances[instance].lifecycle {
            case .down: planRestart(instance)
            case .active where instances[instance].plan.devices < fullPlans[instance].devices:
                if lostDevices(instance) == 0 { drain(instance, thenRebuild: true) }
            case .warming where restartingAfterFault[instance] && lostDevices(instance) == 0:
                restartPlans[instance] = fullPlans[instance]
            default: break
            }
        }
        if fault.isRandom, workRemains, var schedule = faults {
            let next = schedule.drawNext(fault.target, after: now)
            queue.schedule(.fault, at: schedule[next].time.nanosecondsSinceStart, target: Int32(next))
            faults = schedule
        }
    }

    /// Schedules the down `instance`'s restart: whole when no device is lost, shrunk when its layout allows
    /// (elastic expert parallelism), else none until a repair.
    private mutating func planRestart(_ instance: Int) {
        let lost = lostDevices(instance)
        let full = fullPlans[instance]
        let plan = lost == 0 ? full : simulation.plan.shrunk(full, toDevices: full.devices - lost)
        guard let plan, let restart = faults?.restart else {
            lifecycleGenerations[instance] &+= 1  // cancels a restart planned before this fault
            return
        }
        restartPlans[instance] = plan
        restartingAfterFault[instance] = true
        startWarmUp(instance, for: restart)
    }

    /// Adds `delta` to the down counts of what `target` takes out, and tells the network about NICs.
    private mutating func markDown(_ target: ScenarioFaults.Target, by delta: Int) {
        for device in devices(of: target) { deviceDownCount[device] += delta }
        for nic in nics(of: target) {
            nicDownCount[nic] += delta
            network.setDown(nic, nicDownCount[nic] > 0)
        }
    }

    /// The cluster-wide devices a fault on `target` takes out (none for a NIC).
    private func devices(of target: ScenarioFaults.Target) -> Range<Int> {
        switch target {
        case .device(let device): return device..<(device + 1)
        case .nic: return 0..<0
        case .node(let node):
            let (pool, host) = poolAndHost(ofNode: node)
            let first = poolDeviceStart(pool) + host * simulation.plan.pools[pool].devicesPerHost
            return first..<(first + simulation.plan.pools[pool].devicesPerHost)
        }
    }

    /// The cluster-wide NICs a fault on `target` takes out: a NIC, or every NIC of a node.
    private func nics(of target: ScenarioFaults.Target) -> [Int] {
        let fabric = simulation.plan.fabric
        switch target {
        case .device: return []
        case .nic(let device): return [fabric.nicIndex(serving: pooled(device))]
        case .node: return Array(fabric.nicsOfHost(holding: pooled(devices(of: target).lowerBound)))
        }
    }

    /// Whether a fault on `target` hits `instance` (at full size): one of its devices is lost, or the NIC of
    /// one of its devices when its expert parallelism crosses hosts over NICs.
    private func hits(_ target: ScenarioFaults.Target, _ instance: Int) -> Bool {
        let range = clusterDevices(of: instance)
        switch target {
        case .node, .device: return devices(of: target).overlaps(range)
        case .nic(let device): return range.contains(device) && usesNICs(instance)
        }
    }

    /// Devices of `instance` (at full size) lost to a fault now.
    func lostDevices(_ instance: Int) -> Int {
        let fabric = simulation.plan.fabric
        let nicMatters = usesNICs(instance)
        return clusterDevices(of: instance).filter { device in
            deviceDownCount[device] > 0 || (nicMatters && nicDownCount[fabric.nicIndex(serving: pooled(device))] > 0)
        }.count
    }

    /// Whether `instance` spans hosts whose scale-up domain is one host, so that its experts talk over NICs.
    private func usesNICs(_ instance: Int) -> Bool {
        let plan = fullPlans[instance]
        let topology = plan.topology
        let first = topology.location(of: DeviceID(plan.deviceOffset)).host
        let last = topology.location(of: DeviceID(plan.deviceOffset + plan.devices - 1)).host
        return last > first && topology.host.scaleUp.domainHosts == 1
    }

    /// `instance`'s devices at full size, cluster-wide.
    private func clusterDevices(of instance: Int) -> Range<Int> {
        let plan = fullPlans[instance]
        return plan.clusterDeviceOffset..<(plan.clusterDeviceOffset + plan.devices)
    }

    /// Cluster-wide device `device` as a pool's device.
    private func pooled(_ device: Int) -> PooledDeviceID {
        var pool = 0
        while pool + 1 < simulation.plan.pools.count, device >= poolDeviceStart(pool + 1) { pool += 1 }
        return PooledDeviceID(pool: pool, device: DeviceID(device - poolDeviceStart(pool)))
    }

    /// The first cluster-wide device of `pool`.
    private func poolDeviceStart(_ pool: Int) -> Int {
        simulation.plan.pools.prefix(pool).reduce(0) { $0 + $1.deviceCount }
    }

    /// The pool and the host within it of cluster-wide node `node`.
    private func poolAndHost(ofNode node: Int) -> (Int, Int) {
        var remaining = node
        for (pool, topology) in simulation.plan.pools.enumerated() {
            if remaining < topology.hostCount { return (pool, remaining) }
            remaining -= topology.hostCount
        }
        preconditionFailure("node \(node) is outside the cluster")
    }

    // MARK: - Expert re-balancing

    /// Every serving MoE instance re-plans its expert placement from the loads of the window just ended and
    /// pauses for the migration when it adopts the new placement.
    mutating func rebalance() throws {
        guard workRemains, var rebalancer else { return }
        rebalancer.beginWindow()
        for index in instances.indices where [.active, .draining].contains(instances[index].lifecycle) {
            let tokens = instances[index].takeRoutedTokens()
            let current = instances[index].plan
            guard let outcome = try rebalancer.replan(current, tokens: tokens, deployment: simulation.plan) else {
                continue
            }
            accounts.dynamics.rebalances.append(
                .init(
                    time: now, instance: index, expertsMoved: outcome.migration.expertsMoved,
                    migrationBytes: outcome.migration.bytes.count, migrationTime: outcome.migration.time,
                    imbalanceBefore: current.expertLoadShares.max() ?? 1,
                    imbalanceAfter: outcome.plan.expertLoadShares.max() ?? 1,
                    loadShares: outcome.plan.expertLoadShares))
            if let time = instances[index].pause(
                for: outcome.migration.time, then: outcome.plan, at: now, live: &live, accounts: &accounts)
            {
                schedule(index, at: time)
            }
            instanceChanged(index)
        }
        self.rebalancer = rebalancer
        queue.schedule(.rebalance, at: (now + rebalancer.interval).nanosecondsSinceStart)
    }
}
