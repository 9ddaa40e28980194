import Deployment
import MoECore
import Reports
import Scheduling

/// One serving instance in the simulated cluster: its plan (devices, step-time model), its scheduler, and
/// what it is doing: nothing, one scheduled step, or a run of decode steps taken in one go.
///
/// The instance never waits between steps while it has work: when a step or run ends it starts the next
/// one at once, as an engine's busy loop does. Arrivals join its scheduler's waiting queue whenever they
/// come; one arriving during a decode run cuts the run at the next step boundary, so the next schedule
/// sees it exactly when a real engine would.
struct SimulatedInstance: Sendable {
    /// What the instance is doing.
    enum Activity: Sendable {
        case idle
        case step
        case run
    }

    let index: Int
    let plan: InstancePlan
    var scheduler: BatchScheduler
    private(set) var activity = Activity.idle
    /// Bumped when a pending event is superseded (a run cut short), so the stale event is ignored.
    private(set) var generation: UInt32 = 0
    /// The load its router sees.
    var load: InstanceLoad

    private var batch: ScheduledBatch?
    private var stepStart = SimTime.zero
    private var stepDuration: StepDuration?
    private var run = DecodeRun()
    /// The pricing of decode steps of the last batch size seen (runs and mixed steps reuse it).
    private var decodePricing: DecodeStepPricing?
    /// The requests of the current run, in the scheduler's running order.
    private var runRequests: [RequestID] = []

    /// Requests completed.
    private(set) var completed = 0
    /// Scheduler steps taken, each step of a decode run included.
    private(set) var steps = 0
    /// Steps taken one by one through `schedule`/`commit`.
    private(set) var scheduledSteps = 0
    /// Decode runs taken.
    private(set) var decodeRuns = 0
    /// Decode runs cut short by an arrival.
    private(set) var cutRuns = 0

    init(_ plan: InstancePlan) throws {
        index = plan.index
        self.plan = plan
        do {
            scheduler = try plan.makeScheduler()
        } catch {
            throw SimulationError.invalidScheduler(instance: plan.name, error)
        }
        load = InstanceLoad(index: plan.index, role: plan.role)
    }

    /// Offers `request` (already renamed to its slot) at `now`.
    mutating func enqueue(_ request: RequestSpec, now: SimTime) -> AdmissionDecision {
        let decision = scheduler.enqueue(request, now: now)
        if decision.isAdmitted {
            load.outstandingTokens += request.promptTokens + request.outputTokens
            load.waitingRequests = scheduler.waitingCount
        }
        return decision
    }

    /// Reacts to a request just admitted at `now`: an idle instance starts work; a decode run is cut at
    /// the first step boundary at or after `now`. Returns the time of a new event to schedule, if any.
    mutating func noticeArrival(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts)
        -> SimTime?
    {
        switch activity {
        case .step: return nil
        case .idle: return startWork(at: now, live: &live, accounts: &accounts)
        case .run:
            let previous = run.length
            let length = run.cut(before: now)
            guard length < previous else { return nil }
            generation &+= 1
            cutRuns += 1
            if length > 0 { return run.end(ofStep: length) }
            activity = .idle
            return startWork(at: now, live: &live, accounts: &accounts)
        }
    }

    /// Handles this instance's event due at `now` (of the current generation): prices more of a run, or
    /// ends the step or run and starts the next work. Returns the time of the next event, nil when idle.
    mutating func handleEvent(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts)
        -> SimTime?
    {
        switch activity {
        case .idle: return nil
        case .run where !run.isFullyPriced:
            run.priceNextChunk()
            return run.pricedEnd
        case .run: finishRun(at: now, live: &live, accounts: &accounts)
        case .step: finishStep(at: now, live: &live, accounts: &accounts)
        }
        activity = .idle
        return startWork(at: now, live: &live, accounts: &accounts)
    }

    /// Starts the next work at `now`: a decode run when the scheduler promises pure decode steps, else one
    /// scheduled step. Returns when its first event is due, or nil when there is nothing to do.
    private mutating func startWork(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts)
        -> SimTime?
    {
        defer { updateLoad() }
        let promised = scheduler.decodeStepsUntilChange()
        if promised > 0 {
            runRequests = scheduler.runningRequestIDs
            var contextTokens = 0
            for id in runRequests {
                let entry = live[Int(id.value)]
                contextTokens += entry.promptTokens + entry.generatedTokens
            }
            run.begin(
                at: now, contextTokens: contextTokens, length: promised, kvUsage: scheduler.kvUsage,
                pricing: decodeSteps(sequences: runRequests.count))
            activity = .run
            return run.pricedEnd
        }
        guard let batch = scheduler.schedule(now: now) else {
            if scheduler.waitingCount > 0 { failUnschedulable(at: now, live: &live, accounts: &accounts) }
            return nil
        }
        let duration = plan.stepDuration(of: batch)
        self.batch = batch
        stepStart = now
        stepDuration = duration
        activity = .step
        return now + duration.total
    }

    /// Commits the scheduled step that ends at `now` and accounts what it did.
    private mutating func finishStep(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts) {
        guard let batch = batch.take(), let duration = stepDuration else { return }
        let events = scheduler.commit(batch, now: now)
        var sampled = 0
        var gapsOfOneStep = 0
        let start = stepStart.nanosecondsSinceStart
        let end = now.nanosecondsSinceStart
        for entry in batch.entries {
            let slot = Int(entry.id.value)
            if live[slot].scheduledAt < 0 {
                live[slot].scheduledAt = start
                live[slot].cachedPromptTokens = entry.contextTokens
            }
            guard entry.samplesToken else { continue }
            sampled += 1
            live[slot].generatedTokens += 1
            let last = live[slot].lastTokenAt
            if last == start {
                gapsOfOneStep += 1
            } else if last >= 0 {
                accounts.metrics.recordInterTokenGaps(SimDuration(nanoseconds: end - last), count: 1)
            }
            live[slot].lastTokenAt = end
        }
        accounts.metrics.recordInterTokenGaps(duration.total, count: gapsOfOneStep)
        load.outstandingTokens -= sampled
        handle(events, live: &live, accounts: &accounts)
        accounts.series.add(
            instance: index, start: stepStart, duration: duration.total,
            sample: StepSample(
                sequences: batch.entries.count, kvUsage: batch.statistics.kvUsage, mfu: duration.model.mfu,
                hbmBandwidthUtilization: duration.model.hbmBandwidthUtilization,
                linkUtilization: duration.model.linkUtilization, prefillTokens: batch.prefillTokens,
                outputTokens: sampled))
        let decodePricing = batch.decodeSequences > 0 ? decodeSteps(sequences: batch.decodeSequences) : nil
        accounts.cost.add(instance: index, plan.phaseTimes(of: batch, duration: duration, decodePricing: decodePricing))
        steps += 1
        scheduledSteps += 1
    }

    /// Applies the decode run that ends at `now` to the scheduler in one call and accounts its steps.
    private mutating func finishRun(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts) {
        let length = run.length
        let advance = scheduler.advanceDecode(steps: length, now: now)
        assert(advance.firstStepContextTokens == run.firstStepContextTokens, "run priced on the wrong context")
        let sequences = run.sequences
        let start = run.start.nanosecondsSinceStart
        let firstEnd = run.end(ofStep: 1).nanosecondsSinceStart
        var onTime = 0
        for id in runRequests {
            let slot = Int(id.value)
            let last = live[slot].lastTokenAt
            if last == start {
                onTime += 1
            } else {
                accounts.metrics.recordInterTokenGaps(SimDuration(nanoseconds: firstEnd - last), count: 1)
            }
            live[slot].lastTokenAt = now.nanosecondsSinceStart
            live[slot].generatedTokens += length
        }
        accounts.metrics.recordInterTokenGaps(run.duration(ofStep: 1), count: onTime)
        // The run enters the utilization series as one span with its time-weighted figures (KV usage grows
        // linearly over it); step by step would only redistribute within a span shorter than a bucket.
        var mfuSeconds = 0.0
        var hbmSeconds = 0.0
        var linkSeconds = 0.0
        for step in 1...length {
            let duration = run.duration(ofStep: step)
            if step > 1 { accounts.metrics.recordInterTokenGaps(duration, count: sequences) }
            let seconds = duration.seconds
            let priced = run.steps[step - 1]
            mfuSeconds += priced.mfu * seconds
            hbmSeconds += priced.hbmBandwidthUtilization * seconds
            linkSeconds += priced.linkUtilization * seconds
        }
        let total = now - run.start
        let seconds = total.seconds
        let kvUsage = (run.kvUsageAtStart + advance.lastStepStatistics.kvUsage) / 2
        accounts.series.add(
            instance: index, start: run.start, duration: total,
            sample: StepSample(
                sequences: sequences, kvUsage: kvUsage, mfu: seconds > 0 ? mfuSeconds / seconds : 0,
                hbmBandwidthUtilization: seconds > 0 ? hbmSeconds / seconds : 0,
                linkUtilization: seconds > 0 ? linkSeconds / seconds : 0, prefillTokens: 0,
                outputTokens: sequences * length))
        accounts.cost.addDecode(instance: index, total)
        load.outstandingTokens -= sequences * length
        handle(advance.events, live: &live, accounts: &accounts)
        steps += length
        decodeRuns += 1
    }

    /// Records first tokens and finishes reported by the scheduler.
    private mutating func handle(_ events: [RequestEvent], live: inout LiveRequests, accounts: inout SimulationAccounts)
    {
        for event in events {
            switch event {
            case .firstToken(let id, let time):
                let slot = Int(id.value)
                live[slot].firstTokenAt = time.nanosecondsSinceStart
                load.outstandingTokens -= live[slot].promptTokens
            case .finished(let id, let time, _):
                completed += 1
                accounts.end(Int(id.value), .completed, at: time, live: &live)
            }
        }
    }

    /// Fails every request queued here when the scheduler, with nothing running, cannot start any of them
    /// (a request that can never fit, which admission checks should have refused): better a reported
    /// failure than a silent hang.
    private mutating func failUnschedulable(
        at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts
    ) {
        for slot in live.slots(servedBy: index) {
            scheduler.cancel(RequestID(UInt64(slot)), now: now)
            let entry = live[slot]
            load.outstandingTokens -=
                (entry.firstTokenAt < 0 ? entry.promptTokens : 0) + entry.outputTokens - entry.generatedTokens
            accounts.end(
                slot, .failed(reason: "instance \(plan.name) could not schedule it with nothing else running"),
                at: now, live: &live)
        }
    }

    /// The pricing of decode steps of `sequences` sequences, prepared once per batch size in a row.
    private mutating func decodeSteps(sequences: Int) -> DecodeStepPricing {
        if let decodePricing, decodePricing.sequences == sequences { return decodePricing }
        let pricing = plan.decodeSteps(sequences: sequences)
        decodePricing = pricing
        return pricing
    }

    /// Refreshes the request counts the router sees.
    private mutating func updateLoad() {
        load.runningRequests = scheduler.runningCount
        load.waitingRequests = scheduler.waitingCount
    }
}
