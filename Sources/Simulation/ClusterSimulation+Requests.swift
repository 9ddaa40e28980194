import Deployment
import MoECore
import Scheduling

/// The request flow: arrivals routed to their first stage, prefill hand-offs sent over the network to a
/// decode instance, and requests moved off an instance that stopped.
extension ClusterSimulation.SimulationState {
    /// The stage index (into `stages`) of requests at `stage`.
    func stageIndex(_ stage: LiveRequests.Stage) -> Int { stage == .decode ? 1 : 0 }

    /// The first stage's kind: colocated, or prefill when disaggregated.
    var firstStage: LiveRequests.Stage { stages[0].role == .prefill ? .prefill : .colocated }

    /// Takes an arrival: gives it the scenario's objectives, looks its prefix up in the shared context
    /// cache, and offers it to its first stage.
    mutating func arrive(_ original: RequestSpec) {
        arrived += 1
        var request = original
        let objectives = simulation.plan.scenario.slo
        request.ttftSLO = request.ttftSLO ?? objectives.ttft
        request.tpotSLO = request.tpotSLO ?? objectives.tpot
        let slot = live.admit(request, instance: -1, stage: firstStage)
        if !request.prefixBlockHashes.isEmpty, simulation.plan.scenario.contextCache != nil {
            live[slot].contextCacheTokens = Int32(contextCacheHit(request))
        }
        request.id = RequestID(UInt64(slot))
        offer(
            slot, spec: request, to: firstStage,
            handoff: RequestHandoff(contextCacheTokens: Int(live[slot].contextCacheTokens)))
    }

    /// Leading prompt tokens of `request` the shared context cache holds now (creating the cache, sized in
    /// the request's prefix blocks, on first use).
    private mutating func contextCacheHit(_ request: RequestSpec) -> Int {
        guard let settings = simulation.plan.scenario.contextCache else { return 0 }
        if contextCache == nil {
            contextCache = ContextCache(
                capacity: settings.capacity,
                bytesPerToken: simulation.plan.instances[0].kvCacheConfiguration.bytesPerToken,
                blockTokens: request.prefixBlockTokens, timeToLive: settings.timeToLive)
        }
        guard request.prefixBlockTokens == contextCache!.blockTokens else { return 0 }
        let blocks = contextCache!.lookUp(request.prefixBlockHashes, now: now)
        return min(blocks * request.prefixBlockTokens, request.promptTokens - 1)
    }

    /// Routes the request in `slot` (`spec`, when the caller holds it, renamed to the slot) to an instance of
    /// `stage` and offers it there with `handoff`; with no instance to take it, it waits
    /// (``StageRouting/unrouted``). A refusal ends it at once: rejected on arrival, failed when it had already
    /// been served in part.
    mutating func offer(_ slot: Int, spec: RequestSpec? = nil, to stage: LiveRequests.Stage, handoff: RequestHandoff) {
        let stageIndex = stageIndex(stage)
        guard stages[stageIndex].canRoute else {
            live[slot].stage = .unrouted
            live[slot].awaitedStage = stage
            live[slot].instance = -1
            stages[stageIndex].unrouted.append(slot)
            return
        }
        var request = spec ?? live.spec(slot)
        if stage == .prefill { request.outputTokens = handoff.generatedTokens + 1 }
        // A request that had its first token elsewhere is past its TTFT objective's reach: admission control
        // judges prefills of new requests only.
        if handoff.generatedTokens > 0 { request.ttftSLO = nil }
        let target = route(request, stage: stageIndex)
        enqueue(slot, request, handoff: handoff, on: target, stage: stage)
    }

    /// The instance of stage `stage` that `request` goes to, its router given the scheduler figures and the
    /// cached prefixes it reads; requires a routable instance.
    mutating func route(_ request: RequestSpec, stage: Int) -> Int {
        if stages[stage].router.readsSchedulerState {
            stages[stage].refresh(stages[stage].routable.map { instances[$0].detailedLoad })
        }
        if stages[stage].router.readsCachedPrefixes { fillCachedPrefixes(request, stage: stage) }
        return stages[stage].route(request)
    }

    /// Enqueues `request` (the request of `slot`, shaped for its stage) on instance `target`.
    mutating func enqueue(
        _ slot: Int, _ request: RequestSpec, handoff: RequestHandoff, on target: Int, stage: LiveRequests.Stage
    ) {
        live[slot].instance = target
        live[slot].stage = stage
        live[slot].epoch &+= 1
        switch instances[target].enqueue(request, handoff: handoff, now: now, live: &live) {
        case .admitted:
            if let time = instances[target].noticeArrival(at: now, live: &live, accounts: &accounts) {
                schedule(target, at: time)
            }
        case .rejected(let reason):
            accounts.rejectionsByReason[reason.kind, default: 0] += 1
            let servedBefore = live[slot].scheduledAt >= 0
            accounts.end(
                slot,
                servedBefore
                    ? .failed(reason: "instance \(instances[target].plan.name) refused it: \(reason)")
                    : .rejected(reason: reason.description), at: now, live: &live)
        }
        instanceChanged(target)
    }

    /// Sets the cached prefix each routable instance of `stage` holds for `request`.
    private mutating func fillCachedPrefixes(_ request: RequestSpec, stage: Int) {
        let blockSize = simulation.plan.instances[0].schedulerConfiguration.blockSize
        let hashes = BatchScheduler.prefixBlockHashes(of: request, blockSize: blockSize)
        let instances = self.instances
        stages[stage].setCachedPrefixes { index in
            hashes.isEmpty ? 0 : instances[index].scheduler.cachedPrefixBlocks(hashes) * blockSize
        }
    }

    /// Writes the prompts just prefilled to the shared context cache (write-through).
    mutating func storePrefilledPrompts() {
        for slot in accounts.prefilled where live[slot].isLive {
            let spec = live.specs[slot]
            guard !spec.prefixBlockHashes.isEmpty, spec.prefixBlockTokens == contextCache?.blockTokens else { continue }
            contextCache?.store(spec.prefixBlockHashes, now: now)
        }
        accounts.prefilled.removeAll(keepingCapacity: true)
    }

    /// Sends the requests prefill instances just finished to decode instances: a request whose output is
    /// complete ends here; the others' KV caches (prompt plus generated tokens but the last) travel from
    /// the prefill device of their rank to a decode device over the network.
    mutating func startTransfers() {
        let handoffs = accounts.handoffs
        accounts.handoffs.removeAll(keepingCapacity: true)
        for slot in handoffs {
            if live[slot].generatedTokens >= live[slot].outputTokens {
                deliverFirstToken(slot)
                accounts.end(slot, .completed, at: now, live: &live)
                continue
            }
            sendToDecode(slot, from: live[slot].instance)
        }
    }

    /// Routes `slot`'s KV cache from prefill instance `source` to a decode instance and starts the transfer.
    mutating func sendToDecode(_ slot: Int, from source: Int) {
        guard stages[1].canRoute else {
            live[slot].stage = .unrouted
            live[slot].awaitedStage = .decode
            live[slot].instance = source
            stages[1].unrouted.append(slot)
            return
        }
        let target = route(live.spec(slot), stage: 1)
        let sourcePlan = instances[source].plan
        let tokens = live[slot].promptTokens + live[slot].generatedTokens - 1
        let bytes = sourcePlan.kvCacheConfiguration.bytesPerToken.count * Int64(tokens)
        let rank = instances[target].takeRank()
        let lands = network.transfer(
            bytes: bytes, from: sourcePlan.device(ofRank: Int(live[slot].rank)),
            to: instances[target].plan.device(ofRank: rank), at: now)
        accounts.dynamics.transfers.add(bytes: bytes, duration: lands - now)
        live[slot].stage = .transferring
        live[slot].instance = target
        live[slot].rank = Int32(rank)
        live[slot].epoch &+= 1
        setIncoming(target, requests: 1, tokens: tokens)
        queue.schedule(
            .transferDone, at: lands.nanosecondsSinceStart, target: Int32(slot), generation: live[slot].epoch)
    }

    /// A KV cache lands at its decode instance: the first token reaches the client with it, and the request
    /// joins the decode instance's queue, decoding from its first step.
    mutating func land(slot: Int, epoch: UInt32) {
        guard live.entries.indices.contains(slot), live[slot].isLive, live[slot].epoch == epoch,
            live[slot].stage == .transferring
        else { return }
        let target = live[slot].instance
        let tokens = live[slot].promptTokens + live[slot].generatedTokens - 1
        setIncoming(target, requests: -1, tokens: -tokens)
        deliverFirstToken(slot)
        var request = live.spec(slot)
        request.prefixBlockHashes = []  // decode instances never prefill a shared prefix
        request.ttftSLO = nil  // its first token has just been delivered
        let handoff = RequestHandoff(generatedTokens: live[slot].generatedTokens, transferredTokens: tokens)
        enqueue(slot, request, handoff: handoff, on: target, stage: .decode)
    }

    /// Records the first token's arrival at the client now, if it had not arrived before.
    private mutating func deliverFirstToken(_ slot: Int) {
        guard live[slot].firstTokenAt < 0 else { return }
        live[slot].firstTokenAt = now.nanosecondsSinceStart
        live[slot].lastTokenAt = now.nanosecondsSinceStart
    }

    /// Adds `requests` and `tokens` to the KV transfers on their way to `instance`.
    mutating func setIncoming(_ instance: Int, requests: Int, tokens: Int) {
        incoming[instance].requests += requests
        incoming[instance].tokens += tokens
        instances[instance].setIncoming(requests: incoming[instance].requests, tokens: incoming[instance].tokens)
        stages[stageOfInstance[instance]].update(instance, instances[instance].load)
    }

    /// Moves the requests of an instance that stopped to other instances: those that had not started are
    /// queued again from the start; those with work done are prefilled again (prompt and the tokens the
    /// client has received; a KV cache in flight is lost with its decode instance).
    mutating func move(_ slots: [Int], from instance: Int) {
        for slot in slots {
            if live[slot].stage == .transferring {
                let tokens = live[slot].promptTokens + live[slot].generatedTokens - 1
                setIncoming(instance, requests: -1, tokens: -tokens)
            }
            live[slot].epoch &+= 1
            if live[slot].firstTokenAt < 0 { live[slot].generatedTokens = 0 }
            let started = live[slot].scheduledAt >= 0
            if started {
                accounts.dynamics.faults.requestsReprefilled += 1
            } else {
                accounts.dynamics.faults.requestsRequeued += 1
            }
            let handoff = RequestHandoff(
                generatedTokens: live[slot].generatedTokens, contextCacheTokens: Int(live[slot].contextCacheTokens))
            offer(slot, to: firstStage, handoff: handoff)
        }
    }

    /// Offers the requests waiting for `stage` to its instances, now that one can take them.
    mutating func routeWaiting(stage: Int) {
        while stages[stage].canRoute, let slot = stages[stage].unrouted.popFirst() {
            guard live[slot].isLive, live[slot].stage == .unrouted else { continue }
            if live[slot].awaitedStage == .decode {
                sendToDecode(slot, from: live[slot].instance)
            } else {
                let handoff = RequestHandoff(
                    generatedTokens: live[slot].generatedTokens,
                    contextCacheTokens: Int(live[slot].contextCacheTokens))
                offer(slot, to: live[slot].awaitedStage, handoff: handoff)
            }
        }
    }
}
