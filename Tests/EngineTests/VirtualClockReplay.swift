import Deployment
import MoECore
import Scheduling

/// The deployment's schedulers driven on a virtual clock, the way the simulator drives them: the same
/// `InstancePlan` schedulers and step prices, round-robin routing in arrival order, each request enqueued
/// at its arrival and each step ending `stepDuration(of:)` after it starts. The engine's records of the
/// same requests must agree with these within its own overhead.
enum VirtualClockReplay {
    /// The records of `requests` (sorted by arrival, ties in the given order) served by `plan` on a virtual
    /// clock, in submission order.
    static func records(plan: DeploymentPlan, requests: [RequestSpec]) throws -> [RequestRecord] {
        let ordered = requests.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }
            .map(\.element)
        var records: [RequestID: RequestRecord] = [:]
        for (index, instance) in plan.instances.enumerated() {
            let mine = ordered.enumerated().filter { $0.offset % plan.instances.count == index }.map(\.element)
            for record in try serve(mine, on: instance, index: index) { records[record.id] = record }
        }
        return ordered.compactMap { records[$0.id] }
    }

    private static func serve(_ requests: [RequestSpec], on instance: InstancePlan, index: Int) throws
        -> [RequestRecord]
    {
        var scheduler = try instance.makeScheduler()
        var nextArrival = 0
        var specs: [RequestID: RequestSpec] = [:]
        var firstTokens: [RequestID: SimTime] = [:]
        var records: [RequestRecord] = []
        var now = SimTime.zero
        while true {
            while nextArrival < requests.count, requests[nextArrival].arrival <= now {
                let next = requests[nextArrival]
                nextArrival += 1
                specs[next.id] = next
                precondition(scheduler.enqueue(next, now: next.arrival) == .admitted, "\(next.id) refused")
            }
            guard let batch = scheduler.schedule(now: now) else {
                guard nextArrival < requests.count else { return records }
                now = max(now, requests[nextArrival].arrival)
                continue
            }
            let end = batch.isEmpty ? now : now + instance.stepDuration(of: batch).total
            for event in scheduler.commit(batch, now: end) {
                switch event {
                case .firstToken(let id, let at): firstTokens[id] = at
                case .finished(let id, let at, let outputTokens):
                    let spec = specs[id]!
                    records.append(
                        RequestRecord(
                            id: id, arrival: spec.arrival, promptTokens: spec.promptTokens, outputTokens: outputTokens,
                            firstTokenAt: firstTokens[id], endedAt: at, outcome: .completed, instance: index))
                }
            }
            now = end
        }
    }
}
