import MoECore

extension BatchScheduler {
    /// Applies what the step `batch` produced, at its end time `now`: each entry's tokens enter the KV cache,
    /// full prompt blocks are published to the prefix cache, entries that reached their known tokens sample
    /// one, and finished requests leave and release their blocks. Returns first-token and finish events.
    public mutating func commit(_ batch: ScheduledBatch, now: SimTime) -> [RequestEvent] {
        precondition(
            inFlightStep == batch.step,
            "commit of step \(batch.step) but the step in flight is \(String(describing: inFlightStep))")
        inFlightStep = nil
        nextStep += 1
        var events: [RequestEvent] = []
        var anyFinished = false
        var cursor = 0
        for entry in batch.entries {
            guard let index = runningIndex(of: entry.id, from: cursor) else { continue }  // cancelled meanwhile
            cursor = index + 1
            if running[index].generatedTokens == 0 { prefillBacklogTokens -= entry.newTokens }
            running[index].computedTokens += entry.newTokens
            if running[index].sharedBlocks < running[index].blockHashes.count { publishComputedBlocks(at: index) }
            guard running[index].computedTokens == running[index].knownTokens else { continue }
            running[index].generatedTokens += 1
            if running[index].generatedTokens == 1 { events.append(.firstToken(entry.id, at: now)) }
            if running[index].isFinished {
                events.append(.finished(entry.id, at: now, outputTokens: running[index].generatedTokens))
                anyFinished = true
            }
        }
        if anyFinished { removeFinished() }
        if batch.preempted.isEmpty { decayNewTokenRatio(steps: 1) }
        return events
    }

    /// Where the running request `id` is, looking first at `start` (entries follow running order).
    private func runningIndex(of id: RequestID, from start: Int) -> Int? {
        if start < running.count && running[start].id == id { return start }
        return running.firstIndex { $0.id == id }
    }

    /// Publishes the request's newly completed, hashed prompt blocks to the prefix cache.
    private mutating func publishComputedBlocks(at index: Int) {
        let complete = min(running[index].computedTokens / configuration.blockSize, running[index].blockHashes.count)
        while running[index].sharedBlocks < complete {
            kv.publish(running[index].blockHashes[running[index].sharedBlocks])
            running[index].sharedBlocks += 1
            running[index].privateBlocks -= 1
        }
    }

    /// Releases and removes finished requests, keeping the others in order.
    mutating func removeFinished() {
        for index in running.indices where running[index].isFinished {
            var state = running[index]
            releaseBlocks(of: &state)
            liveIDs.remove(state.id)
            finishedTotal += 1
        }
        running.removeAll { $0.isFinished }
    }
}
