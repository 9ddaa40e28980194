import Dispatch
import MoECore
import Scheduling

/// The scheduling loop: one step in flight per instance; a finished step is committed and the next one
/// handed to the backend before the finished step's tokens are streamed and accounted.
extension ServingEngine {
    /// Hands the instance's next step to its backend, if the instance is serving, idle and has work.
    func startStepIfIdle(_ index: Int) {
        while instances[index].inFlight == nil && instances[index].failure == nil {
            let now = clock.now()
            guard let batch = instances[index].scheduler.schedule(now: now) else { return }
            guard !batch.isEmpty else {
                // The step only preempted: nothing to run, and nothing to report.
                _ = instances[index].scheduler.commit(batch, now: now)
                continue
            }
            var requests: [StepRequest] = []
            requests.reserveCapacity(batch.entries.count)
            for entry in batch.entries {
                guard let position = live.index(forKey: entry.id) else {
                    preconditionFailure("\(entry.id) is scheduled on \(instances[index].plan.name) but not live")
                }
                if live.values[position].firstStep == nil {
                    live.values[position].firstStep = batch.step
                    live.values[position].cachedPromptTokens = entry.contextTokens  // prefix hits, on first admission
                    recorder.requestQueueTime.record(now - live.values[position].spec.arrival)
                }
                let spec = live.values[position].spec
                requests.append(
                    StepRequest(id: entry.id, promptTokens: spec.promptTokens, outputTokens: spec.outputTokens))
            }
            instances[index].inFlight = InFlightStep(batch: batch, startedAt: clock.now())
            armWatchdog()
            let step = batch.step
            instances[index].executor.execute(BackendStep(instance: index, batch: batch, requests: requests)) {
                [self] result in
                onSchedulingQueue { engine in
                    engine.stepFinished(instance: index, step: step, result: result)
                    engine.flushDeliveries()
                }
            }
            return
        }
    }

    /// A backend reported step `step` of instance `index`.
    func stepFinished(instance index: Int, step: UInt64, result: Result<StepOutput, BackendFailure>) {
        guard let finished = instances[index].inFlight, finished.batch.step == step else { return }  // timed out
        let now = clock.now()
        let output: StepOutput
        switch result {
        case .failure(let failure):
            failInstance(index, reason: "\(instances[index].plan.name) stopped at step \(step): \(failure)")
            return
        case .success(let success):
            if let problem = Self.mismatch(of: success.tokens, with: finished.batch) {
                failInstance(index, reason: "\(instances[index].plan.name) stopped at step \(step): backend \(problem)")
                return
            }
            output = success
        }
        instances[index].inFlight = nil
        instances[index].steps += 1
        instances[index].deviceBusyTime += output.deviceTime
        recorder.steps += 1
        let events = instances[index].scheduler.commit(finished.batch, now: now)
        let earlyStops = stopEarly(output.tokens, of: finished, finishedBy: events, on: index, now: now)

        // Overlap: the next step goes to the backend before this one's outputs are processed.
        startStepIfIdle(index)
        if let next = instances[index].inFlight {
            recorder.schedulingTime.record(next.startedAt - now)
            recorder.stepOverhead.record(next.startedAt - finished.startedAt - output.deviceTime)
        }

        for sampled in output.tokens { stream(sampled, of: finished, at: now) }
        for event in events {
            guard case .finished(let id, _, _) = event, let request = live[id] else { continue }
            finish(id, reason: request.endedAtEndOfSequence ? .stop : .length, at: now)
        }
        for id in earlyStops { finish(id, reason: .stop, at: now) }
        if let routing = output.routing { accumulate(routing, on: index) }
    }

    /// Why `tokens` do not answer `batch` (one token per sampling entry, in entry order), or nil when they do.
    static func mismatch(of tokens: [SampledToken], with batch: ScheduledBatch) -> String? {
        var next = 0
        for entry in batch.entries where entry.samplesToken {
            guard next < tokens.count else {
                return "returned \(tokens.count) tokens for a step that samples more"
            }
            guard tokens[next].id == entry.id else {
                return "returned a token for \(tokens[next].id) where \(entry.id) was expected"
            }
            next += 1
        }
        return next == tokens.count ? nil : "returned \(tokens.count) tokens for a step that samples \(next)"
    }

    /// Releases requests whose end-of-sequence token came before their `max_tokens` (the scheduler ends a
    /// request only at its output length) and returns them.
    private func stopEarly(
        _ tokens: [SampledToken], of step: InFlightStep, finishedBy events: [RequestEvent], on index: Int, now: SimTime
    ) -> [RequestID] {
        var stops: [RequestID] = []
        var finished: Set<RequestID>?
        for token in tokens where token.isEndOfSequence && position(of: token.id, in: step) != nil {
            if finished == nil {
                finished = Set(events.compactMap { if case .finished(let id, _, _) = $0 { id } else { nil } })
            }
            if finished?.contains(token.id) == false {
                instances[index].scheduler.cancel(token.id, now: now)
                stops.append(token.id)
            }
        }
        return stops
    }

    /// Where in `live` the request `id` is, if it took part in `step`: it is still live (not cancelled while the
    /// step ran) and was first scheduled in it or before (not a new request reusing a cancelled one's id).
    private func position(of id: RequestID, in step: InFlightStep) -> Dictionary<RequestID, LiveRequest>.Index? {
        guard let position = live.index(forKey: id), let first = live.values[position].firstStep,
            first <= step.batch.step
        else { return nil }
        return position
    }

    /// Streams one sampled token of a request that took part in `step` and records its latency. The request is
    /// updated in place in `live` (one hash lookup, no copy: this runs for every token).
    private func stream(_ sampled: SampledToken, of step: InFlightStep, at now: SimTime) {
        guard let position = position(of: sampled.id, in: step) else { return }
        let token = GeneratedToken(
            id: sampled.id, index: live.values[position].generatedTokens, token: sampled.token, at: now)
        update(&live.values[position], with: token, endsSequence: sampled.isEndOfSequence)
        pendingDeliveries.append(Delivery(sink: live.values[position].sink, event: .token(token)))
    }

    /// Counts `token` on `request` and records its TTFT or inter-token latency.
    private func update(_ request: inout LiveRequest, with token: GeneratedToken, endsSequence: Bool) {
        if let last = request.lastTokenAt {
            recorder.interTokenLatency.record(token.at - last)
        } else {
            request.firstTokenAt = token.at
            recorder.timeToFirstToken.record(token.at - request.spec.arrival)
            recorder.promptTokensTotal += request.spec.promptTokens
        }
        request.generatedTokens += 1
        request.lastTokenAt = token.at
        request.endedAtEndOfSequence = endsSequence
        recorder.generationTokensTotal += 1
    }

    private func accumulate(_ routing: ExpertRoutingCounts, on index: Int) {
        if instances[index].expertLoad == nil {
            instances[index].expertLoad = ExpertLoadAccumulator(layers: routing.layers, experts: routing.experts)
        }
        instances[index].expertLoad?.add(routing)
    }

    /// Takes the instance out of service: every request on it fails with `reason` and releases its KV blocks.
    func failInstance(_ index: Int, reason: String) {
        instances[index].failure = reason
        instances[index].inFlight = nil
        let now = clock.now()
        for id in live.keys.sorted() where live[id]?.instance == index {
            instances[index].scheduler.cancel(id, now: now)
            finish(id, reason: .failed(reason), at: now)
        }
    }

    // MARK: - Step timeout

    /// Makes sure a watchdog will look at the steps in flight (one timer at a time, only while steps run).
    func armWatchdog() {
        guard let timeout = configuration.stepTimeout, !watchdogArmed else { return }
        watchdogArmed = true
        let period = min(max(timeout.nanoseconds / 4, 5_000_000), 1_000_000_000)
        onSchedulingQueue(at: clock.now() + SimDuration(nanoseconds: period)) { engine in
            engine.watchdogFired()
            engine.flushDeliveries()
        }
    }

    /// Fails every instance whose step has run past the timeout; re-arms while steps remain in flight.
    private func watchdogFired() {
        watchdogArmed = false
        guard let timeout = configuration.stepTimeout else { return }
        let now = clock.now()
        for index in instances.indices {
            guard let step = instances[index].inFlight, now - step.startedAt > timeout else { continue }
            failInstance(
                index,
                reason:
                    "\(instances[index].plan.name) stopped: step \(step.batch.step) did not complete within \(timeout)")
        }
        if instances.contains(where: { $0.inFlight != nil }) { armWatchdog() }
    }
}
