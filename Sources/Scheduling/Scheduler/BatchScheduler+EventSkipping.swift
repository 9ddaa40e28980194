import MoECore

extension BatchScheduler {
    /// How many of the next steps are certain to be pure decode steps of exactly the current running requests:
    /// no request finishing before the last of them, none needing a KV block that is not there, no waiting
    /// request becoming admissible or preempting. 0 means "take one ordinary step".
    ///
    /// Costs O(running x log steps). While anything waits, the bound also keeps cached prefix blocks from
    /// being evicted (an eviction could change what the waiting head finds); under SGLang-style admission it
    /// also stops where the shrinking reservation might let the waiting head in.
    public func decodeStepsUntilChange() -> Int {
        guard inFlightStep == nil, !running.isEmpty, running.count <= configuration.maxNumBatchedTokens else {
            return 0
        }
        var stepLimit = Int.max
        for state in running {
            guard state.isDecoding, !hasUnpublishedBlocks(state) else { return 0 }
            stepLimit = min(stepLimit, state.outputTokens - state.generatedTokens)
        }
        var blockLimit = kv.availableBlocks
        if let head = waiting.first {
            if configuration.policy == .priority && running[victimIndex()].queueKey.rank > head.queueKey.rank {
                return 0
            }
            // A head blocked by the sequence cap or the token budget stays blocked through decode steps.
            if running.count < configuration.maxNumSeqs {
                let budget = StepBudget(
                    tokens: configuration.maxNumBatchedTokens - running.count,
                    prefillTokens: configuration.maxPrefillTokensPerStep ?? .max)
                if budget.tokens > 0 {
                    if admissionPlan(for: head, budget: budget, reservedTokens: runningReservationTokens()) != nil {
                        return 0
                    }
                    stepLimit = min(stepLimit, stepsReservationKeepsBlocking(head, budget: budget, limit: stepLimit))
                }
            }
            blockLimit = kv.freeBlocks
        }
        if newBlocksForDecode(steps: stepLimit) <= blockLimit { return stepLimit }
        // Largest k with demand(k) <= blockLimit; demand(0) = 0 and demand grows with k.
        var low = 0
        var high = stepLimit
        while low < high {
            let middle = low + (high - low + 1) / 2
            if newBlocksForDecode(steps: middle) <= blockLimit { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Applies `steps` pure decode steps at once, exactly as `steps` rounds of ``schedule(now:)`` and
    /// ``commit(_:now:)`` would, in O(running) whatever `steps` is. `now` is the end of the last step, when
    /// any finishing request finishes. Requires `1 <= steps <= decodeStepsUntilChange()`.
    public mutating func advanceDecode(steps: Int, now: SimTime) -> DecodeAdvance {
        precondition(steps >= 1, "advanceDecode needs at least one step, got \(steps)")
        precondition(inFlightStep == nil, "advanceDecode while step \(nextStep) is in flight")
        var contextTokens = 0
        var newBlocks = 0
        for state in running {
            precondition(state.isDecoding, "advanceDecode with \(state.id) not decoding")
            precondition(
                steps <= state.outputTokens - state.generatedTokens, "advanceDecode past the end of \(state.id)")
            contextTokens += state.computedTokens + 1
            newBlocks += max(0, blocks(for: state.computedTokens + steps) - state.heldBlocks)
        }
        precondition(
            newBlocks <= kv.availableBlocks, "advanceDecode needs \(newBlocks) blocks, \(kv.availableBlocks) available")
        kv.allocatePrivate(newBlocks)
        var events: [RequestEvent] = []
        var anyFinished = false
        for index in running.indices {
            let held = running[index].heldBlocks
            running[index].computedTokens += steps
            running[index].generatedTokens += steps
            running[index].privateBlocks += max(0, blocks(for: running[index].computedTokens) - held)
            if running[index].isFinished {
                events.append(.finished(running[index].id, at: now, outputTokens: running[index].generatedTokens))
                anyFinished = true
            }
        }
        let sequences = running.count
        let lastStatistics = statistics(batchTokens: sequences, cacheHits: .zero)
        if anyFinished { removeFinished() }
        decayNewTokenRatio(steps: steps)
        nextStep += UInt64(steps)
        return DecodeAdvance(
            steps: steps, sequences: sequences, firstStepContextTokens: contextTokens, events: events,
            lastStepStatistics: lastStatistics)
    }

    /// Under SGLang-style admission, how many of the next steps (at most `limit`) the running requests'
    /// reservation surely keeps the waiting head out, though the reservation shrinks every step (the ratio
    /// decays and the remaining outputs fall). Uses a lower bound of the reservation at each step (ratio and
    /// remaining outputs both at their smallest possible values) against today's free space, which decode
    /// steps only reduce; `Int.max` when the head does not fit even without any reservation.
    private func stepsReservationKeepsBlocking(_ head: RequestState, budget: StepBudget, limit: Int) -> Int {
        guard let ratios = reserveRatios,
            let plan = admissionPlan(for: head, budget: budget, reservedTokens: 0)
        else { return .max }
        let blockSize = configuration.blockSize
        let capacity = (kv.availableBlocks - plan.evictableHitBlocks) * blockSize
        let needed = plan.blocksToAllocate * blockSize + ownReservationTokens(of: head)
        var remaining = 0
        for state in running { remaining += min(state.outputTokens - state.generatedTokens, ratios.clip) }
        let sequences = running.count
        let ratio = newTokenRatioMillionths
        // Blocked in step t + 1 if even the smallest reservation the step could see leaves too little room.
        func blocked(afterSteps t: Int) -> Bool {
            let smallestRatio = max(ratios.minimum, ratio - t * ratios.decayPerStep)
            let smallestRemaining = max(0, remaining - t * sequences)
            return needed + smallestRemaining * smallestRatio / 1_000_000 > capacity
        }
        var low = 0  // blocked(afterSteps: 0) holds: the caller just found the head does not fit
        var high = limit - 1
        while low < high {
            let middle = low + (high - low + 1) / 2
            if blocked(afterSteps: middle) { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// KV blocks the running requests need over the next `steps` decode steps.
    private func newBlocksForDecode(steps: Int) -> Int {
        var total = 0
        for state in running { total += max(0, blocks(for: state.computedTokens + steps) - state.heldBlocks) }
        return total
    }

    /// Whether `state` has completed hashed prompt blocks not yet published (commit publishes them).
    private func hasUnpublishedBlocks(_ state: RequestState) -> Bool {
        state.sharedBlocks < min(state.computedTokens / configuration.blockSize, state.hashedBlocks)
    }
}
