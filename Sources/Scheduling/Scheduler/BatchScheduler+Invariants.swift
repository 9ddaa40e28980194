extension BatchScheduler {
    /// Checks the scheduler's bookkeeping from scratch and describes every inconsistency found (empty when
    /// sound): KV blocks conserved, reference counts matching the requests that hold them, every live
    /// request in exactly one place, counters matching their sums. O(everything); for tests and debugging.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        check(
            kv.freeBlocks + kv.privateBlocks + kv.cachedBlocks == kv.totalBlocks,
            "blocks not conserved: free \(kv.freeBlocks) + private \(kv.privateBlocks) + cached \(kv.cachedBlocks) "
                + "!= total \(kv.totalBlocks)")
        check(kv.freeBlocks >= 0, "negative free blocks \(kv.freeBlocks)")
        let privateHeld = running.reduce(0) { $0 + $1.privateBlocks }
        check(
            privateHeld == kv.privateBlocks,
            "requests hold \(privateHeld) private blocks, pool says \(kv.privateBlocks)")

        var references: [UInt64: Int32] = [:]
        for state in running {
            check(state.privateBlocks >= 0, "\(state.id) holds \(state.privateBlocks) private blocks")
            check(
                state.heldBlocks >= blocks(for: state.computedTokens),
                "\(state.id) holds \(state.heldBlocks) blocks for \(state.computedTokens) computed tokens")
            check(state.swappedBlocks == 0, "\(state.id) is running but has swapped blocks")
            check(state.computedTokens <= state.knownTokens, "\(state.id) computed past its known tokens")
            check(!state.isFinished, "\(state.id) finished but still running")
            for hash in blockHashes(of: state).prefix(state.sharedBlocks) { references[hash, default: 0] += 1 }
        }
        var unreferenced = 0
        for (hash, count) in kv.referenceCounts.entries {
            check(
                count == references[hash, default: 0],
                "block \(hash) has \(count) references, requests hold \(references[hash, default: 0])")
            if count == 0 {
                unreferenced += 1
                check(kv.evictable.contains(hash), "unreferenced block \(hash) is not evictable")
            }
        }
        check(
            unreferenced == kv.evictable.count, "\(kv.evictable.count) evictable blocks, \(unreferenced) unreferenced")

        let waitingStates = waiting.unordered
        var swapped = 0
        for state in waitingStates {
            check(state.heldBlocks == 0, "\(state.id) is waiting but holds \(state.heldBlocks) HBM blocks")
            swapped += state.swappedBlocks
        }
        check(
            swapped == (kv.host?.pinnedBlocks ?? 0),
            "\(swapped) blocks swapped out, host pins \(kv.host?.pinnedBlocks ?? 0)")
        for (name, tier) in [("host", kv.host), ("disk", kv.disk)] {
            guard let tier else { continue }
            check(tier.freeBlocks >= 0, "\(name) tier over capacity: \(tier.capacityBlocks - tier.freeBlocks) blocks")
        }

        let ids = running.map(\.id) + waitingStates.map(\.id)
        check(Set(ids).count == ids.count, "a request is in the scheduler twice")
        check(Set(prefixHashes.keys).isSubset(of: liveIDs), "prefix hashes kept for a request that left")
        check(Set(ids) == liveIDs, "live ids \(liveIDs.count) do not match the \(ids.count) queued and running")
        check(running.count <= configuration.maxNumSeqs, "\(running.count) running exceed maxNumSeqs")
        let backlog = (running + waitingStates).reduce(0) { $0 + $1.prefillBacklog }
        check(backlog == prefillBacklogTokens, "prefill backlog \(prefillBacklogTokens), requests sum to \(backlog)")
        return problems
    }
}
