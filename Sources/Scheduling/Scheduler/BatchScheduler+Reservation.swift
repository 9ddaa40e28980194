extension BatchScheduler {
    /// SGLang-style reservation of the running requests, in tokens: the new-token ratio times each one's
    /// remaining output (clipped). Zero under eager admission.
    func runningReservationTokens() -> Int {
        guard let ratios = reserveRatios else { return 0 }
        var remaining = 0
        for state in running { remaining += min(state.outputTokens - state.generatedTokens, ratios.clip) }
        return remaining * newTokenRatioMillionths / 1_000_000
    }

    /// The reservation a request makes for itself when admitted: its whole remaining output (clipped).
    func ownReservationTokens(of state: RequestState) -> Int {
        guard let ratios = reserveRatios else { return 0 }
        return min(state.outputTokens - state.generatedTokens, ratios.clip)
    }

    /// Under priority scheduling, preempts running requests of lower priority than the head of the queue while
    /// the head cannot otherwise get a seat or its first chunk's blocks.
    mutating func preemptForHigherPriority(_ batch: inout ScheduledBatch) {
        while let head = waiting.first, !running.isEmpty {
            let victim = victimIndex()
            guard running[victim].queueKey.rank > head.queueKey.rank else { return }
            if running.count < configuration.maxNumSeqs {
                var decodeBlocks = 0
                for state in running where state.isDecoding {
                    decodeBlocks += max(0, blocks(for: state.computedTokens + 1) - state.heldBlocks)
                }
                let budget = StepBudget(
                    tokens: max(0, configuration.maxNumBatchedTokens - running.count),
                    prefillTokens: configuration.maxPrefillTokensPerStep ?? .max)
                if let plan = admissionPlan(for: head, budget: budget, reservedTokens: runningReservationTokens()),
                    plan.blocksToAllocate + decodeBlocks <= kv.availableBlocks
                {
                    return
                }
            }
            preempt(at: victim, in: &batch)
        }
    }
}
