import MoECore

extension BatchScheduler {
    /// Offers a new request. It joins the waiting queue, or is refused with a reason (never dropped
    /// silently): malformed, duplicate, too large for the KV cache or the token budget, queue full, or a
    /// predicted time to first token beyond its objective.
    public mutating func enqueue(_ request: RequestSpec, now: SimTime) -> AdmissionDecision {
        enqueue(request, now: now, handoff: .none)
    }

    /// Offers a request that brings `handoff` with it: tokens generated elsewhere, KV cache transferred from a
    /// prefill instance, or prompt blocks held by the cluster's context cache (see ``RequestHandoff``). A
    /// hand-off that does not fit the request (as many tokens generated as it asks for, KV for other than its
    /// known tokens but the last) is refused as ``RejectionReason/invalidRequest(_:)``.
    public mutating func enqueue(_ request: RequestSpec, now: SimTime, handoff: RequestHandoff) -> AdmissionDecision {
        if let reason = rejectionReason(for: request, now: now) ?? handoffProblem(handoff, of: request) {
            rejectedTotal += 1
            return .rejected(reason)
        }
        let hashes =
            kvCacheConfiguration.prefixCaching
            ? PrefixBlockHashing.blockHashes(
                traceHashes: request.prefixBlockHashes, traceBlockTokens: request.prefixBlockTokens,
                blockSize: configuration.blockSize, promptTokens: request.promptTokens) : []
        let key = WaitingKey(spec: request, sequence: nextSequence, policy: configuration.policy)
        nextSequence += 1
        var state = RequestState(spec: request, queueKey: key, hashedBlocks: hashes.count)
        state.generatedTokens = handoff.generatedTokens
        if handoff.transferredTokens > 0 {
            state.computedTokens = handoff.transferredTokens
            state.kvArrived = true
        }
        if kvCacheConfiguration.contextCacheLoadBandwidth != nil {
            state.contextCacheBlocks = min(handoff.contextCacheTokens / configuration.blockSize, hashes.count)
        }
        if !hashes.isEmpty { prefixHashes[request.id] = hashes }
        waiting.insert(state)
        liveIDs.insert(request.id)
        prefillBacklogTokens += state.prefillBacklog
        return .admitted
    }

    /// Why `handoff` cannot come with `request`, or nil when it fits.
    private func handoffProblem(_ handoff: RequestHandoff, of request: RequestSpec) -> RejectionReason? {
        let generated = handoff.generatedTokens
        if generated < 0 || generated >= request.outputTokens {
            return .invalidRequest(
                "the hand-off has \(generated) tokens generated; expected 0 to \(request.outputTokens - 1)")
        }
        let known = request.promptTokens + generated
        if handoff.transferredTokens != 0 && (generated == 0 || handoff.transferredTokens != known - 1) {
            return .invalidRequest(
                "the hand-off transfers the KV of \(handoff.transferredTokens) tokens; expected 0 or \(known - 1) "
                    + "(the prompt and the generated tokens but the last)")
        }
        if handoff.contextCacheTokens < 0 {
            return .invalidRequest("the hand-off has \(handoff.contextCacheTokens) context-cache tokens")
        }
        return nil
    }

    /// Removes a request wherever it is (a client abort), releasing its KV blocks at once. Returns false
    /// when it is not queued or running. If it is part of the batch in flight, that batch's commit skips it.
    @discardableResult
    public mutating func cancel(_ id: RequestID, now: SimTime) -> Bool {
        var state: RequestState
        if let index = running.firstIndex(where: { $0.id == id }) {
            state = running.remove(at: index)
            releaseBlocks(of: &state)
        } else if let removed = waiting.remove(id) {
            state = removed
            kv.releaseSwapped(state.swappedBlocks)
        } else {
            return false
        }
        prefillBacklogTokens -= state.prefillBacklog
        liveIDs.remove(id)
        prefixHashes.removeValue(forKey: id)
        cancelledTotal += 1
        return true
    }

    /// Why `request` must be refused now, or nil to accept it.
    func rejectionReason(for request: RequestSpec, now: SimTime) -> RejectionReason? {
        if request.promptTokens < 1 {
            return .invalidRequest("promptTokens is \(request.promptTokens); expected at least 1")
        }
        if request.outputTokens < 1 {
            return .invalidRequest("outputTokens is \(request.outputTokens); expected at least 1")
        }
        if !request.prefixBlockHashes.isEmpty
            && !PrefixBlockHashing.isCompatible(
                traceBlockTokens: request.prefixBlockTokens, blockSize: configuration.blockSize)
        {
            return .invalidRequest(
                "prefixBlockTokens is \(request.prefixBlockTokens); expected a multiple or divisor of blockSize "
                    + "\(configuration.blockSize)")
        }
        if liveIDs.contains(request.id) { return .duplicateID }
        let required = requiredBlocks(promptTokens: request.promptTokens, outputTokens: request.outputTokens)
        if required > kv.totalBlocks {
            return .exceedsKVCapacity(requiredBlocks: required, totalBlocks: kv.totalBlocks)
        }
        if !configuration.chunkedPrefill && request.promptTokens > configuration.maxNumBatchedTokens {
            return .promptExceedsTokenBudget(
                promptTokens: request.promptTokens, maxNumBatchedTokens: configuration.maxNumBatchedTokens)
        }
        if waiting.count >= configuration.maxWaitingRequests {
            return .queueFull(capacity: configuration.maxWaitingRequests)
        }
        if let rate = configuration.predictedPrefillTokensPerSecond, let objective = request.ttftSLO {
            let queued = max(SimDuration.zero, now - request.arrival)
            let predicted = queued + .seconds(Double(prefillBacklogTokens + request.promptTokens) / rate)
            if predicted > objective { return .predictedTTFTExceedsSLO(predicted: predicted, objective: objective) }
        }
        return nil
    }

    /// HBM blocks a request needs at its largest when running alone: every token but the last sampled one
    /// cached, plus (SGLang-style admission) room for its own output reservation.
    private func requiredBlocks(promptTokens: Int, outputTokens: Int) -> Int {
        switch configuration.admission {
        case .eager: blocks(for: promptTokens + outputTokens - 1)
        case .reserve: blocks(for: promptTokens + outputTokens) + 1
        }
    }
}
