import MoECore

extension BatchScheduler {
    /// Decides the next step: running requests first, in admission order, each getting its remaining tokens
    /// (one when decoding, a chunk when prefilling) while the token budget lasts, preempting the request
    /// latest in the policy's order when KV blocks run out; then waiting requests in policy order while the
    /// sequence cap, token budget and KV cache allow (none in a step that had to preempt for KV).
    ///
    /// Returns nil when there is nothing to run. Otherwise the batch must be passed to ``commit(_:now:)``
    /// before the next call. Pure: the same state and calls give the same batch. `now` is part of the contract
    /// so that time-aware policies need no new API; the current policies order by keys fixed at arrival and
    /// do not read it.
    public mutating func schedule(now: SimTime) -> ScheduledBatch? {
        precondition(inFlightStep == nil, "schedule(now:) called again before commit of step \(nextStep)")
        var batch = ScheduledBatch(
            step: nextStep, entries: [], preempted: [],
            statistics: statistics(batchTokens: 0, cacheHits: .zero))
        batch.entries.reserveCapacity(min(running.count + waiting.count, configuration.maxNumSeqs))
        var budget = StepBudget(
            tokens: configuration.maxNumBatchedTokens, prefillTokens: configuration.maxPrefillTokensPerStep ?? .max)
        if configuration.policy == .priority { preemptForHigherPriority(&batch) }
        let preemptedForKV = scheduleRunning(&batch, &budget)
        if !preemptedForKV { admitWaiting(&batch, &budget) }
        guard !batch.entries.isEmpty || !batch.preempted.isEmpty else { return nil }
        batch.statistics = statistics(batchTokens: batch.totalTokens, cacheHits: batch.prefixHitTokens)
        cacheHitTokensTotal += batch.prefixHitTokens
        inFlightStep = nextStep
        return batch
    }

    /// Tokens left in the step being scheduled.
    struct StepBudget {
        var tokens: Int
        var prefillTokens: Int

        mutating func spend(_ entry: BatchEntry) {
            tokens -= entry.newTokens
            if !entry.isDecode { prefillTokens -= entry.newTokens }
        }

        mutating func refund(_ entry: BatchEntry) {
            tokens += entry.newTokens
            if !entry.isDecode { prefillTokens += entry.newTokens }
        }
    }

    /// Tokens `state` may compute this step under the chunking rules, or 0 if it must sit this step out.
    func chunkTokens(for state: RequestState, budget: StepBudget) -> Int {
        Self.chunkTokens(for: state, budget: budget, configuration: configuration)
    }

    /// ``chunkTokens(for:budget:)`` without `self`, for loops that hold the running array's storage.
    static func chunkTokens(for state: RequestState, budget: StepBudget, configuration: SchedulerConfiguration)
        -> Int
    {
        let remaining = state.knownTokens - state.computedTokens
        if state.isDecoding { return min(1, budget.tokens) }
        var tokens = remaining
        let threshold = configuration.longPrefillTokenThreshold
        if threshold > 0 { tokens = min(tokens, threshold) }
        tokens = min(tokens, budget.prefillTokens, budget.tokens)
        // With chunked prefill off, a prompt's first pass runs whole; recomputation after preemption may chunk.
        if !configuration.chunkedPrefill && state.generatedTokens == 0 && tokens < remaining { return 0 }
        return max(0, tokens)
    }

    /// Schedules the running requests; returns whether any had to be preempted for lack of KV blocks.
    private mutating func scheduleRunning(_ batch: inout ScheduledBatch, _ budget: inout StepBudget) -> Bool {
        var preempted = false
        var index = scheduleUntilShortOfBlocks(from: 0, &batch, &budget)
        while index < running.count && budget.tokens > 0 {
            // running[index] needs more blocks than are available: preempt, then retry it (or, if it was the
            // victim, its successor).
            preempted = true
            let victim = victimIndex()
            if let withdrawn = preempt(at: victim, in: &batch) { budget.refund(withdrawn) }
            if victim < index { index -= 1 }
            index = scheduleUntilShortOfBlocks(from: index, &batch, &budget)
        }
        return preempted
    }

    /// Schedules running requests from `start` on, in order, until the budget is spent, the requests end, or
    /// one needs more KV blocks than are available; returns the index it stopped at. The hot loop of a step:
    /// it works on the array's storage directly and divides only when a request crosses a block boundary.
    private mutating func scheduleUntilShortOfBlocks(
        from start: Int, _ batch: inout ScheduledBatch, _ budget: inout StepBudget
    ) -> Int {
        let configuration = configuration
        let blockSize = configuration.blockSize
        let shift = blockShift
        // Append to a local array (one uniqueness check for the loop, not one per entry) and put it back after.
        var entries = batch.entries
        batch.entries = []
        defer { batch.entries = entries }
        return running.withUnsafeMutableBufferPointer { states in
            var index = start
            while index < states.count && budget.tokens > 0 {
                let state = states[index]
                let isDecoding = state.isDecoding
                let tokens =
                    isDecoding ? 1 : Self.chunkTokens(for: state, budget: budget, configuration: configuration)
                if tokens == 0 {
                    index += 1
                    continue
                }
                let computed = state.computedTokens
                let held = state.heldBlocks
                let needed =
                    computed + tokens <= held * blockSize
                    ? 0 : Self.blocks(for: computed + tokens, blockSize: blockSize, shift: shift) - held
                if needed > 0 {
                    guard needed <= kv.availableBlocks else { return index }
                    kv.allocatePrivate(needed)
                    states[index].privateBlocks += needed
                }
                let entry = BatchEntry(
                    id: state.id, newTokens: tokens, contextTokens: computed, isDecode: isDecoding,
                    samplesToken: computed + tokens == state.knownTokens)
                entries.append(entry)
                batch.account(entry, sign: 1)
                budget.spend(entry)
                index += 1
            }
            return index
        }
    }

    /// Admits waiting requests in policy order until one does not fit (head-of-line, as vLLM and SGLang do).
    private mutating func admitWaiting(_ batch: inout ScheduledBatch, _ budget: inout StepBudget) {
        guard !waiting.isEmpty else { return }
        var reservedTokens = runningReservationTokens()
        while running.count < configuration.maxNumSeqs && budget.tokens > 0, let head = waiting.first {
            guard let plan = admissionPlan(for: head, budget: budget, reservedTokens: reservedTokens) else { return }
            var state = waiting.removeFirst()!
            let entry = admit(&state, plan: plan, into: &batch)
            budget.spend(entry)
            reservedTokens += ownReservationTokens(of: state)
            running.append(state)
        }
    }

    /// What admitting a request takes: its prefix hits by tier, the tokens it computes and the blocks to allocate.
    struct AdmissionPlan {
        var hbmHitBlocks = 0
        var hostHitBlocks = 0
        var diskHitBlocks = 0
        var newTokens = 0
        var blocksToAllocate = 0
        /// HBM hits that are cached but unreferenced: taking them shrinks the evictable pool.
        var evictableHitBlocks = 0

        var matchedBlocks: Int { hbmHitBlocks + hostHitBlocks + diskHitBlocks }
    }

    /// The plan for admitting `state` now, or nil when it does not fit the budget or the KV cache.
    func admissionPlan(for state: RequestState, budget: StepBudget, reservedTokens: Int) -> AdmissionPlan? {
        var plan = AdmissionPlan()
        let looksUpPrefix = state.swappedBlocks == 0 && !state.kvArrived
        if looksUpPrefix {
            for (index, hash) in blockHashes(of: state).enumerated() {
                guard let tier = tier(of: hash, at: index, for: state) else { break }
                switch tier {
                case .hbm:
                    plan.hbmHitBlocks += 1
                    if kv.isEvictable(hash) { plan.evictableHitBlocks += 1 }
                case .host: plan.hostHitBlocks += 1
                case .disk: plan.diskHitBlocks += 1
                }
            }
        }
        var candidate = state
        if looksUpPrefix { candidate.computedTokens = plan.matchedBlocks * configuration.blockSize }
        plan.newTokens = chunkTokens(for: candidate, budget: budget)
        guard plan.newTokens > 0 else { return nil }
        let totalBlocks = blocks(for: candidate.computedTokens + plan.newTokens)
        plan.blocksToAllocate = totalBlocks - plan.hbmHitBlocks
        let available = kv.availableBlocks - plan.evictableHitBlocks
        switch configuration.admission {
        case .eager:
            guard plan.blocksToAllocate <= available else { return nil }
        case .reserve:
            let needed = plan.blocksToAllocate * configuration.blockSize + ownReservationTokens(of: state)
            guard needed + reservedTokens <= available * configuration.blockSize else { return nil }
        }
        return plan
    }

    /// Moves `state` into the cache as `plan` says and schedules its first tokens.
    private mutating func admit(_ state: inout RequestState, plan: AdmissionPlan, into batch: inout ScheduledBatch)
        -> BatchEntry
    {
        let backlogBefore = state.prefillBacklog
        let blockSize = configuration.blockSize
        var hits = TierTokens.zero
        if state.swappedBlocks > 0 {
            kv.releaseSwapped(state.swappedBlocks)
            batch.swapInTokens += state.computedTokens
            state.swappedBlocks = 0
        } else if state.kvArrived {
            // The transferred KV lands in the blocks allocated below; it was paid for by the transfer.
            state.kvArrived = false
        } else {
            // Reference the HBM hits before loading the others, so that loading cannot evict them.
            var toLoad: [(hash: UInt64, tier: CacheTier)] = []
            for (index, hash) in blockHashes(of: state).prefix(plan.matchedBlocks).enumerated() {
                guard let tier = tier(of: hash, at: index, for: state) else {
                    preconditionFailure("prefix block \(hash) vanished")
                }
                if tier == .hbm { kv.reference(hash) } else { toLoad.append((hash, tier)) }
                hits[tier] += blockSize
            }
            for block in toLoad { kv.load(block.hash, from: block.tier) }
            state.sharedBlocks = plan.matchedBlocks
            state.computedTokens = plan.matchedBlocks * blockSize
            batch.prefixHitTokens += hits
        }
        kv.allocatePrivate(plan.blocksToAllocate - (state.sharedBlocks - plan.hbmHitBlocks))
        state.privateBlocks = blocks(for: state.computedTokens + plan.newTokens) - state.sharedBlocks
        prefillBacklogTokens += state.prefillBacklog - backlogBefore
        var entry = BatchEntry(
            id: state.id, newTokens: plan.newTokens, contextTokens: state.computedTokens, isDecode: state.isDecoding,
            samplesToken: state.computedTokens + plan.newTokens == state.knownTokens)
        entry.hostHitTokens = Int32(hits.host)
        entry.diskHitTokens = Int32(hits.disk)
        batch.append(entry)
        return entry
    }

    /// Where the prefix block `hash`, the `index`-th of `state`'s chain, can be found: the instance's own tiers
    /// first, then the cluster's shared context cache for the leading blocks it holds.
    @inline(__always)
    private func tier(of hash: UInt64, at index: Int, for state: RequestState) -> CacheTier? {
        kv.tier(of: hash) ?? (index < state.contextCacheBlocks ? .disk : nil)
    }
}
