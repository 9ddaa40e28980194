import MoECore

/// Replaying a trace on the wall clock, for comparing a served run with a simulated one.
extension ServingEngine {
    /// Submits `requests` at their arrival times scaled by `timeScale` (wall seconds per trace second; use
    /// the mock's time factor) and returns every request's record once all have ended, in submission order,
    /// with its times converted back to the trace's clock: `(engine time - replay start) / timeScale`.
    ///
    /// Requests are submitted in arrival order (ties keep their order in `requests`), several at once when a
    /// timer fires late; the engine stamps each arrival when it actually submits it, so latencies are
    /// measured from the real submission. This is what a simulated run of the same requests is compared to.
    /// - Precondition: `timeScale` is finite and positive.
    public nonisolated func replay(_ requests: [RequestSpec], timeScale: Double) async -> [RequestRecord] {
        precondition(timeScale.isFinite && timeScale > 0, "replay needs a positive time scale, got \(timeScale)")
        guard !requests.isEmpty else { return [] }
        let ordered = requests.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }
            .map(\.element)
        let (records, collector) = AsyncStream.makeStream(of: (position: Int, record: RequestRecord).self)
        // A short lead so that the first submissions are not late because the replay was just set up.
        let origin = clock.now() + .milliseconds(2)
        let due = ordered.map {
            origin + SimDuration(nanoseconds: Int64(Double($0.arrival.nanosecondsSinceStart) * timeScale))
        }
        feed(ordered, due: due, from: 0) { position, completion in collector.yield((position, completion.record)) }
        var collected = [RequestRecord?](repeating: nil, count: ordered.count)
        var ended = 0
        for await (position, record) in records {
            collected[position] = record.rescaled(origin: origin, scale: timeScale)
            ended += 1
            if ended == ordered.count { break }
        }
        return collected.compactMap { $0 }
    }

    /// Submits `requests[index...]` as they fall due, one timer at a time, reporting each end to `onEnd` with
    /// the request's position.
    private nonisolated func feed(
        _ requests: [RequestSpec], due: [SimTime], from index: Int,
        onEnd: @escaping @Sendable (_ position: Int, RequestCompletion) -> Void
    ) {
        onSchedulingQueue(at: due[index]) { engine in
            let now = engine.clock.now()
            var next = index
            while next < requests.count && due[next] <= now {
                let position = next
                let sink = EventSink(
                    onEvent: { event in if case .finished(let completion) = event { onEnd(position, completion) } },
                    continuation: nil)
                engine.admit(requests[next], sink: sink, deliversRejection: true)
                next += 1
            }
            engine.flushDeliveries()
            if next < requests.count { engine.feed(requests, due: due, from: next, onEnd: onEnd) }
        }
    }
}

extension RequestRecord {
    /// The record with its instants moved to a clock that starts at `origin` and runs `1 / scale` times as
    /// fast (a replay's wall times back on the trace's clock).
    func rescaled(origin: SimTime, scale: Double) -> RequestRecord {
        func convert(_ time: SimTime) -> SimTime {
            SimTime(nanosecondsSinceStart: Int64((Double((time - origin).nanoseconds) / scale).rounded()))
        }
        var record = self
        record.arrival = convert(arrival)
        record.firstTokenAt = firstTokenAt.map(convert)
        record.endedAt = convert(endedAt)
        return record
    }
}
