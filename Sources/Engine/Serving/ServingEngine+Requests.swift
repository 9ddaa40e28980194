import MoECore
import Scheduling

/// Admission, cancellation and the end of a request's life.
extension ServingEngine {
    /// Routes `request` and offers it to that instance's scheduler. Returns nil when admitted, else the
    /// refusal, which is recorded (and, with `deliversRejection`, sent to the sink as `.finished`).
    @discardableResult
    func admit(_ request: RequestSpec, sink: EventSink, deliversRejection: Bool) -> EngineRejection? {
        let now = clock.now()
        var instance: Int?
        let rejection: EngineRejection
        if !acceptsRequests {
            rejection = .shuttingDown
        } else if live[request.id] != nil {
            rejection = .refused(.duplicateID)
        } else if let index = route() {
            instance = index
            var arrived = request
            arrived.arrival = now
            switch instances[index].scheduler.enqueue(arrived, now: now) {
            case .admitted:
                live[request.id] = LiveRequest(spec: arrived, instance: index, sink: sink)
                instances[index].outstanding += 1
                recorder.requests.inFlight += 1
                startStepIfIdle(index)
                return nil
            case .rejected(let reason):
                rejection = .refused(reason)
            }
        } else {
            rejection = .noServingInstance(
                instances.map { "\($0.plan.name): \($0.failure ?? "serving")" }.joined(separator: "; "))
        }
        let reason = FinishReason.rejected(rejection)
        let record = RequestRecord(
            id: request.id, arrival: now, promptTokens: request.promptTokens, outputTokens: 0, firstTokenAt: nil,
            endedAt: now, outcome: reason.outcome, instance: instance)
        conclude(record, reason: reason, sink: deliversRejection ? sink : nil)
        return rejection
    }

    /// The instance for the next arrival, or nil when every instance has failed.
    func route() -> Int? {
        let serving = instances.indices.filter { instances[$0].failure == nil }
        guard !serving.isEmpty else { return nil }
        switch configuration.routing {
        case .roundRobin:
            let index = serving.first { $0 >= nextInstance % instances.count } ?? serving[0]
            nextInstance = index + 1
            return index
        case .leastOutstanding:
            return serving.min { instances[$0].outstanding < instances[$1].outstanding }
        }
    }

    /// Cancels a live request: its scheduler releases it (and its KV blocks) at once.
    func cancelRequest(_ id: RequestID) {
        guard let request = live[id] else { return }
        let now = clock.now()
        instances[request.instance].scheduler.cancel(id, now: now)
        finish(id, reason: .cancelled, at: now)
        startStepIfIdle(request.instance)
    }

    /// Ends a live request with `reason` at `now` (its scheduler must already have released it).
    func finish(_ id: RequestID, reason: FinishReason, at now: SimTime) {
        guard let request = live.removeValue(forKey: id) else { return }
        instances[request.instance].outstanding -= 1
        let record = RequestRecord(
            id: id, arrival: request.spec.arrival, promptTokens: request.spec.promptTokens,
            cachedPromptTokens: request.cachedPromptTokens, outputTokens: request.generatedTokens,
            firstTokenAt: request.firstTokenAt, endedAt: now, outcome: reason.outcome, instance: request.instance)
        conclude(record, reason: reason, sink: request.sink)
    }

    /// Counts, keeps and announces an ended request; wakes drain waiters once nothing is in flight.
    func conclude(_ record: RequestRecord, reason: FinishReason, sink: EventSink?) {
        recorder.recordEnd(record, reason: reason)
        records.append(record)
        if let limit = configuration.retainedRecords, records.count > limit {
            records.removeFirst(records.count - limit)
        }
        if let sink {
            pendingDeliveries.append(
                Delivery(sink: sink, event: .finished(RequestCompletion(reason: reason, record: record))))
        }
        if live.isEmpty && !drainWaiters.isEmpty {
            let waiters = drainWaiters
            drainWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Hands the events gathered so far to the output queue, which delivers them in order.
    func flushDeliveries() {
        guard !pendingDeliveries.isEmpty else { return }
        let deliveries = pendingDeliveries
        pendingDeliveries = []
        outputQueue.async {
            for delivery in deliveries { delivery.sink.deliver(delivery.event) }
        }
    }
}
