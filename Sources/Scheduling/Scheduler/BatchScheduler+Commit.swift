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
        var backlogDone = 0
        var toPublish: [Int] = []
        // One pass over the entries with direct element access: the hot loop of a decode step.
        running.withUnsafeMutableBufferPointer { states in
            var cursor = 0
            for entry in batch.entries {
                guard let index = Self.index(of: entry.id, in: states, from: cursor) else { continue }  // cancelled
                cursor = index + 1
                if states[index].generatedTokens == 0 { backlogDone += entry.newTokens }
                states[index].computedTokens += entry.newTokens
                if states[index].sharedBlocks < states[index].hashedBlocks { toPublish.append(index) }
                guard states[index].computedTokens == states[index].knownTokens else { continue }
                states[index].generatedTokens += 1
                if states[index].generatedTokens == 1 { events.append(.firstToken(entry.id, at: now)) }
                if states[index].isFinished {
                    events.append(.finished(entry.id, at: now, outputTokens: states[index].generatedTokens))
                    anyFinished = true
                }
            }
        }
        prefillBacklogTokens -= backlogDone
        for index in toPublish { publishComputedBlocks(at: index) }
        if anyFinished { removeFinished() }
        if batch.preempted.isEmpty { decayNewTokenRatio(steps: 1) }
        return events
    }

    /// Where the running request `id` is, looking first at `start` (entries follow running order).
    private static func index(of id: RequestID, in states: UnsafeMutableBufferPointer<RequestState>, from start: Int)
        -> Int?
    {
        if start < states.count && states[start].id == id { return start }
        return states.firstIndex { $0.id == id }
    }

    /// Publishes the request's newly completed, hashed prompt blocks to the prefix cache.
    private mutating func publishComputedBlocks(at index: Int) {
        let complete = min(running[index].computedTokens / configuration.blockSize, running[index].hashedBlocks)
        let hashes = blockHashes(of: running[index])
        while running[index].sharedBlocks < complete {
            kv.publish(hashes[running[index].sharedBlocks])
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
            prefixHashes.removeValue(forKey: state.id)
            finishedTotal += 1
        }
        running.removeAll { $0.isFinished }
    }
}
