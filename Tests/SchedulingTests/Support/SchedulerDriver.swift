import MoECore
import Scheduling

/// How a request left the scheduler in a driven run.
enum Outcome: Equatable {
    case finished(outputTokens: Int, sampledTokens: Int)
    case rejected(RejectionReason)
    case cancelled
}

/// Runs a scheduler over a request stream on a virtual clock (a simple linear step-time model), checking
/// the per-step rules and the scheduler's own invariants after every call, and records each request's fate.
struct SchedulerDriver {
    var scheduler: BatchScheduler
    /// Probability per step of cancelling a random live request.
    var cancelProbability = 0.0
    /// Whether to exercise `advanceDecode` against single steps whenever a decode run is possible.
    var checkEventSkipping = false

    private(set) var outcomes: [RequestID: Outcome] = [:]
    private(set) var problems: [String] = []
    private(set) var admissionOrder: [RequestID] = []
    private(set) var steps = 0
    private(set) var skippedSteps = 0
    private var sampled: [RequestID: Int] = [:]
    private var admitted: Set<RequestID> = []
    private var live: [RequestID] = []

    init(scheduler: BatchScheduler) { self.scheduler = scheduler }

    static func stepTime(tokens: Int) -> SimDuration { .microseconds(500 + 2 * Double(tokens)) }

    mutating func run(_ requests: [RequestSpec], seed: UInt64, maxSteps: Int = 200_000) {
        var random = SeededGenerator(seed: seed)
        var now = SimTime.zero
        var next = 0
        while steps < maxSteps {
            while next < requests.count && requests[next].arrival <= now {
                let request = requests[next]
                switch scheduler.enqueue(request, now: now) {
                case .admitted: live.append(request.id)
                case .rejected(let reason): record(request.id, .rejected(reason))
                }
                next += 1
            }
            if cancelProbability > 0, !live.isEmpty, random.nextUnitDouble() < cancelProbability {
                let id = live[Int(random.next() % UInt64(live.count))]
                if scheduler.cancel(id, now: now) {
                    record(id, .cancelled)
                } else {
                    problems.append("cancel of live \(id) failed")
                }
            }
            if checkEventSkipping { now = skipDecodeSteps(now: now, random: &random) }
            if let batch = scheduler.schedule(now: now) {
                check(batch)
                now += Self.stepTime(tokens: batch.totalTokens)
                for event in scheduler.commit(batch, now: now) { handle(event) }
                steps += 1
                audit("after commit of step \(batch.step)")
            } else if next < requests.count {
                now = max(now, requests[next].arrival)
            } else {
                if !scheduler.isIdle {
                    problems.append("stuck: \(scheduler.runningCount) running, \(scheduler.waitingCount) waiting")
                }
                return
            }
        }
        problems.append("did not finish within \(maxSteps) steps")
    }

    /// When a decode run is possible, applies it with `advanceDecode` and checks it against the same number of
    /// single steps on a copy: identical state, identical events, and every single step a pure decode.
    private mutating func skipDecodeSteps(now: SimTime, random: inout SeededGenerator) -> SimTime {
        let possible = scheduler.decodeStepsUntilChange()
        guard possible >= 1 else { return now }
        let steps = 1 + Int(random.next() % UInt64(min(possible, 300)))
        var single = scheduler
        var singleEvents: [RequestEvent] = []
        var time = now
        let running = scheduler.runningCount
        for _ in 0..<steps {
            guard let batch = single.schedule(now: time) else {
                problems.append("no batch during a decode run of \(steps)")
                return now
            }
            if batch.decodeSequences != running || batch.prefillSequences != 0 || !batch.preempted.isEmpty {
                problems.append("step \(batch.step) of a predicted decode run is not a pure decode of all \(running)")
            }
            time += Self.stepTime(tokens: batch.totalTokens)
            singleEvents += single.commit(batch, now: time)
        }
        let advance = scheduler.advanceDecode(steps: steps, now: time)
        if advance.events != singleEvents { problems.append("advanceDecode events differ from single steps") }
        if scheduler != single { problems.append("advanceDecode(\(steps)) state differs from \(steps) single steps") }
        for id in scheduler.runningRequestIDs { sampled[id, default: 0] += steps }
        for case .finished(let id, _, _) in advance.events { sampled[id, default: 0] += steps }
        for event in advance.events { handle(event) }
        skippedSteps += steps
        audit("after advanceDecode(\(steps))")
        return time
    }

    private mutating func check(_ batch: ScheduledBatch) {
        let configuration = scheduler.configuration
        if batch.totalTokens > configuration.maxNumBatchedTokens {
            problems.append("step \(batch.step) has \(batch.totalTokens) tokens")
        }
        if batch.entries.count > configuration.maxNumSeqs || scheduler.runningCount > configuration.maxNumSeqs {
            problems.append("step \(batch.step) exceeds maxNumSeqs")
        }
        if Set(batch.entries.map(\.id)).count != batch.entries.count {
            problems.append("duplicate entry in step \(batch.step)")
        }
        if batch.entries.reduce(0, { $0 + $1.newTokens }) != batch.totalTokens {
            problems.append("token total mismatch")
        }
        for entry in batch.entries {
            if entry.newTokens < 1 { problems.append("empty entry for \(entry.id)") }
            if admitted.insert(entry.id).inserted { admissionOrder.append(entry.id) }
            if entry.samplesToken { sampled[entry.id, default: 0] += 1 }
        }
        audit("after schedule of step \(batch.step)")
    }

    private mutating func handle(_ event: RequestEvent) {
        if case .finished(let id, _, let tokens) = event {
            record(id, .finished(outputTokens: tokens, sampledTokens: sampled[id, default: 0]))
        }
    }

    private mutating func record(_ id: RequestID, _ outcome: Outcome) {
        if let previous = outcomes[id] { problems.append("\(id) ended twice: \(previous) then \(outcome)") }
        outcomes[id] = outcome
        live.removeAll { $0 == id }
    }

    private mutating func audit(_ when: String) {
        for problem in scheduler.invariantViolations() { problems.append("\(when): \(problem)") }
    }
}
