extension BatchScheduler {
    /// Returns every HBM block `state` holds: shared ones are dereferenced last block first (so the tail of a
    /// prefix is evicted before its head, as in vLLM), private ones freed.
    mutating func releaseBlocks(of state: inout RequestState) {
        if state.sharedBlocks > 0 {
            let hashes = blockHashes(of: state)
            for index in (0..<state.sharedBlocks).reversed() { kv.release(hashes[index]) }
        }
        kv.releasePrivate(state.privateBlocks)
        state.sharedBlocks = 0
        state.privateBlocks = 0
    }

    /// The running request to preempt first: the one latest in the waiting order (lowest priority, latest
    /// deadline or latest arrival).
    func victimIndex() -> Int {
        var victim = 0
        for index in running.indices.dropFirst() where running[index].queueKey > running[victim].queueKey {
            victim = index
        }
        return victim
    }

    /// Preempts `running[index]`: its blocks go to the host tier (swap mode, when there is room) or are
    /// dropped for recompute; it returns to the waiting queue. If it was already scheduled in `batch`, its
    /// entry is withdrawn and returned so the caller can give back the budget.
    @discardableResult
    mutating func preempt(at index: Int, in batch: inout ScheduledBatch) -> BatchEntry? {
        var state = running.remove(at: index)
        let withdrawn = batch.entries.last(where: { $0.id == state.id })
        if withdrawn != nil { batch.removeEntry(of: state.id) }
        let backlogBefore = state.prefillBacklog
        let cachedBlocks = blocks(for: state.computedTokens)
        if configuration.preemption == .swap && cachedBlocks > 0 && kv.swapOut(cachedBlocks) {
            batch.swapOutTokens += state.computedTokens
            releaseBlocks(of: &state)
            state.swappedBlocks = cachedBlocks
        } else {
            releaseBlocks(of: &state)
            state.computedTokens = 0
        }
        prefillBacklogTokens += state.prefillBacklog - backlogBefore
        waiting.insert(state)
        batch.preempted.append(state.id)
        preemptionsTotal += 1
        if let ratios = reserveRatios { newTokenRatioMillionths = ratios.initial }
        return withdrawn
    }
}
