import Deployment
import MoECore
import Reports
import Scheduling

/// One serving instance in the simulated cluster: its plan (devices, step-time model), its scheduler, and
/// what it is doing: nothing, one scheduled step, a run of decode steps taken in one go, or a pause (its
/// expert weights migrating).
///
/// The instance never waits between steps while it has work: when a step or run ends it starts the next
/// one at once, as an engine's busy loop does. Arrivals join its scheduler's waiting queue whenever they
/// come; one arriving during a decode run cuts the run at the next step boundary, so the next schedule
/// sees it exactly when a real engine would. Its lifecycle (serving, draining, released, warming up, down
/// after a fault) is driven by the cluster.
struct SimulatedInstance: Sendable {
    /// What the instance is doing.
    enum Activity: Sendable {
        case idle
        case step
        case run
        /// Migrating expert weights: no step runs until the pause ends.
        case paused
    }

    /// Where the instance is in its life, as the cluster drives it.
    enum Lifecycle: Sendable, Equatable {
        /// Serving and taking new requests.
        case active
        /// Finishing its requests, taking no new ones; then released (or rebuilt).
        case draining
        /// Not provisioned: its devices are lent out.
        case released
        /// Provisioned and loading its weights; serves from the end of its warm-up.
        case warming
        /// Stopped by a fault, waiting to restart.
        case down
    }

    let index: Int
    private(set) var plan: InstancePlan
    private(set) var scheduler: BatchScheduler
    private(set) var activity = Activity.idle
    var lifecycle = Lifecycle.active
    /// Bumped when a pending event is superseded (a run cut short, the instance stopped), so the stale event
    /// is ignored.
    private(set) var generation: UInt32 = 0
    /// The load its router sees.
    private(set) var load: InstanceLoad

    private var batch: ScheduledBatch?
    private var stepStart = SimTime.zero
    private var stepDuration: StepDuration?
    private var run = DecodeRun()
    /// The pricing of decode steps of the last batch size seen (runs and mixed steps reuse it).
    private var decodePricing: DecodeStepPricing?
    /// The requests of the current run, in the scheduler's running order.
    private var runRequests: [RequestID] = []
    /// A pause asked for while work was in flight, taken when it ends.
    private var pendingPause: SimDuration?
    /// The plan to serve with after that pause. Kept apart from the pause: an optional plan is large, and
    /// clearing one on every start of work would cost more than the work.
    private var planAfterPause: InstancePlan?
    /// The next attention data-parallel rank a request is given (round robin, as SGLang's DP dispatch).
    private var nextRank = 0

    /// Requests completed.
    private(set) var completed = 0
    /// Scheduler steps taken, each step of a decode run included.
    private(set) var steps = 0
    /// Steps taken one by one through `schedule`/`commit`.
    private(set) var scheduledSteps = 0
    /// Decode runs taken.
    private(set) var decodeRuns = 0
    /// Decode runs cut short by an arrival, a pause or a fault.
    private(set) var cutRuns = 0
    /// Preemptions of the schedulers it had (a restart starts a new one).
    private var earlierPreemptions = 0
    /// Tokens its steps computed since ``takeRoutedTokens()`` (query tokens: prompts, decode tokens, MTP drafts).
    private var routedTokens = 0
    /// Queueing delays (arrival to first scheduled) of requests first scheduled here since the autoscaler
    /// last read them: their sum in seconds and their count.
    private(set) var queueDelaySeconds = 0.0
    private(set) var queueDelaySamples = 0

    init(_ plan: InstancePlan) throws {
        index = plan.index
        self.plan = plan
        scheduler = try Self.scheduler(of: plan)
        load = InstanceLoad(index: plan.index, role: plan.role)
        refreshCapacity()
    }

    private static func scheduler(of plan: InstancePlan) throws -> BatchScheduler {
        do {
            return try plan.makeScheduler()
        } catch {
            throw SimulationError.invalidScheduler(instance: plan.name, error)
        }
    }

    /// Preemptions over its whole life.
    var preemptionsTotal: Int { earlierPreemptions + scheduler.preemptionsTotal }
    /// Whether it has nothing queued, running or in flight.
    var isIdle: Bool { activity == .idle && scheduler.isIdle }

    /// Offers `request` (already renamed to its slot) at `now`, bringing `handoff`; on admission the request's
    /// rank here is recorded in `live` (a transferred KV cache already landed on the rank ``takeRank()`` gave).
    mutating func enqueue(_ request: RequestSpec, handoff: RequestHandoff, now: SimTime, live: inout LiveRequests)
        -> AdmissionDecision
    {
        let decision = scheduler.enqueue(request, now: now, handoff: handoff)
        guard decision.isAdmitted else { return decision }
        let slot = Int(request.id.value)
        if handoff.transferredTokens == 0 { live[slot].rank = Int32(takeRank()) }
        let hasFirstToken = handoff.generatedTokens > 0
        load.outstandingTokens +=
            (hasFirstToken ? 0 : request.promptTokens) + request.outputTokens - handoff.generatedTokens
        if !hasFirstToken { load.pendingAttentionPairs += Self.attentionPairs(of: live[slot]) }
        updateLoad()
        return decision
    }

    /// The attention data-parallel rank the next request gets (round robin over the ranks).
    mutating func takeRank() -> Int {
        defer { nextRank &+= 1 }
        return nextRank % plan.spec.attentionDP
    }

    /// Core-attention query-key pairs of a request's prompt, the shared context cache's hits excluded.
    static func attentionPairs(of entry: LiveRequests.Entry) -> Double {
        let cached = Double(entry.contextCacheTokens)
        let new = Double(entry.promptTokens) - cached
        return new * cached + new * (new + 1) / 2
    }

    /// Reacts to a request just admitted at `now`: an idle instance starts work; a decode run is cut at
    /// the first step boundary at or after `now`. Returns the time of a new event to schedule, if any.
    mutating func noticeArrival(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts)
        -> SimTime?
    {
        switch activity {
        case .step, .paused: return nil
        case .idle: return startWork(at: now, live: &live, accounts: &accounts)
        case .run: return cutRun(at: now, live: &live, accounts: &accounts)
        }
    }

    /// Cuts the decode run in flight at the first step boundary at or after `now`; returns the new time of
    /// its end (or of the next work, when the run had not started a step).
    private mutating func cutRun(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts)
        -> SimTime?
    {
        let previous = run.length
        let length = run.cut(before: now)
        guard length < previous else { return nil }
        generation &+= 1
        cutRuns += 1
        if length > 0 { return run.end(ofStep: length) }
        activity = .idle
        return startWork(at: now, live: &live, accounts: &accounts)
    }

    /// Pauses the instance for `duration` once the work in flight ends (a decode run is cut at its next step
    /// boundary), then serves with `plan`: its expert weights migrate meanwhile. Returns the time of a new
    /// event to schedule, if any.
    mutating func pause(
        for duration: SimDuration, then plan: InstancePlan?, at now: SimTime, live: inout LiveRequests,
        accounts: inout SimulationAccounts
    ) -> SimTime? {
        pendingPause = duration
        planAfterPause = plan
        switch activity {
        case .paused, .step: return nil
        case .run:
            // The cut run ends at a step boundary, where the pause begins; a run with no step started yields.
            return cutRun(at: now, live: &live, accounts: &accounts)
        case .idle:
            return startWork(at: now, live: &live, accounts: &accounts)
        }
    }

    /// Handles this instance's event due at `now` (of the current generation): prices more of a run, ends the
    /// step, run or pause and starts the next work. Returns the time of the next event, nil when idle.
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
        case .paused: break
        }
        activity = .idle
        return startWork(at: now, live: &live, accounts: &accounts)
    }

    /// Starts the next work at `now`: a pending pause, a decode run when the scheduler promises pure decode
    /// steps, else one scheduled step. Returns when its first event is due, or nil when there is nothing to do.
    private mutating func startWork(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts)
        -> SimTime?
    {
        defer { updateLoad() }
        if let pause = pendingPause {
            pendingPause = nil
            if let plan = planAfterPause {
                planAfterPause = nil
                replacePlan(plan)
            }
            activity = .paused
            return now + pause
        }
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

    /// Stops the instance at `now` (a fault): the steps of a decode run that ended by then are kept, a step in
    /// flight is lost with the devices, and the scheduler with its KV cache is discarded. Returns the slots of
    /// the requests it held, for the cluster to move elsewhere.
    mutating func stop(at now: SimTime, live: inout LiveRequests, accounts: inout SimulationAccounts) -> [Int] {
        if activity == .run {
            let kept = run.cut(endingBy: now)
            if kept > 0 { finishRun(at: run.end(ofStep: kept), live: &live, accounts: &accounts) }
            cutRuns += 1
        }
        batch = nil
        activity = .idle
        pendingPause = nil
        planAfterPause = nil
        generation &+= 1
        let held = live.slots(servedBy: index, includingTransfers: true)
        resetScheduler()
        return held
    }

    /// Serves from now on with `plan` (a re-balanced placement keeps the scheduler and its KV cache; a plan on
    /// other devices starts an empty scheduler). Only while idle or paused for a placement, or stopped.
    mutating func replacePlan(_ plan: InstancePlan) {
        let sameCache =
            plan.kvCacheConfiguration == self.plan.kvCacheConfiguration
            && plan.schedulerConfiguration == self.plan.schedulerConfiguration
        self.plan = plan
        decodePricing = nil
        if !sameCache { resetScheduler() }
        refreshCapacity()
    }

    /// Starts an empty scheduler (its KV cache is gone) and forgets the load.
    private mutating func resetScheduler() {
        earlierPreemptions += scheduler.preemptionsTotal
        // The plan's scheduler was valid when the simulation started; a rebuilt plan keeps its knobs.
        scheduler = (try? Self.scheduler(of: plan)) ?? scheduler
        let role = load.role
        load = InstanceLoad(index: index, role: role)
        refreshCapacity()
    }

    /// Hands over the tokens computed since the last call (what a re-balance samples expert loads from).
    mutating func takeRoutedTokens() -> Int {
        defer { routedTokens = 0 }
        return routedTokens
    }

    /// Hands over the queueing delays recorded since the last call: their sum in seconds and their count.
    mutating func takeQueueDelays() -> (seconds: Double, count: Int) {
        defer {
            queueDelaySeconds = 0
            queueDelaySamples = 0
        }
        return (queueDelaySeconds, queueDelaySamples)
    }

    /// Records on the load the KV transfers on their way here.
    mutating func setIncoming(requests: Int, tokens: Int) {
        load.incomingRequests = requests
        load.incomingKVTokens = tokens
    }

    /// Records on the load the prefix the request being routed finds here.
    mutating func setCachedPrefix(tokens: Int) { load.cachedPrefixTokens = tokens }

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
                live[slot].hostCachedTokens = entry.hostHitTokens
                live[slot].diskCachedTokens = entry.diskHitTokens
                queueDelaySeconds += Double(start - live[slot].arrival.nanosecondsSinceStart) / 1e9
                queueDelaySamples += 1
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
        routedTokens += batch.prefillTokens + batch.decodeSequences * plan.queryTokensPerDecodeSequence
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
        routedTokens += sequences * length * plan.queryTokensPerDecodeSequence
        handle(advance.events, live: &live, accounts: &accounts)
        steps += length
        decodeRuns += 1
    }

    /// Records first tokens and finishes reported by the scheduler. A prefill instance hands each request it
    /// finishes back to the cluster (its KV cache goes to a decode instance) and reports prompts it finished
    /// prefilling when the cluster keeps a shared context cache.
    private mutating func handle(_ events: [RequestEvent], live: inout LiveRequests, accounts: inout SimulationAccounts)
    {
        let prefillsOnly = plan.role == .prefill
        for event in events {
            switch event {
            case .firstToken(let id, let time):
                let slot = Int(id.value)
                if !prefillsOnly { live[slot].firstTokenAt = time.nanosecondsSinceStart }
                load.outstandingTokens -= live[slot].promptTokens
                load.pendingAttentionPairs = max(0, load.pendingAttentionPairs - Self.attentionPairs(of: live[slot]))
                if accounts.reportsPrefilledPrompts { accounts.prefilled.append(slot) }
            case .finished(let id, let time, _):
                completed += 1
                if prefillsOnly {
                    accounts.handoffs.append(Int(id.value))
                } else {
                    accounts.end(Int(id.value), .completed, at: time, live: &live)
                }
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
            // A prefill instance was asked for one token more than the request had generated.
            let remaining = plan.role == .prefill ? 1 : entry.outputTokens - entry.generatedTokens
            load.outstandingTokens -= (entry.firstTokenAt < 0 ? entry.promptTokens : 0) + remaining
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

    /// Refreshes the request counts the router sees (kept on every event; cheap).
    private mutating func updateLoad() {
        load.runningRequests = scheduler.runningCount
        load.waitingRequests = scheduler.waitingCount
    }

    /// Refreshes the figures of the load that change only with the plan.
    private mutating func refreshCapacity() {
        load.totalKVBlocks = plan.kvCacheConfiguration.totalBlocks
        load.blockSize = plan.schedulerConfiguration.blockSize
        updateLoad()
    }

    /// The load with the scheduler's state read now: pending prefill, KV blocks held and cached. Routers that
    /// weigh them ask for it at routing time only, so the event loop does not read them on every event.
    var detailedLoad: InstanceLoad {
        var detailed = load
        detailed.pendingPrefillTokens = scheduler.pendingPrefillTokens
        detailed.usedKVBlocks = scheduler.usedBlocks
        detailed.cachedKVBlocks = scheduler.cachedPrefixBlockCount
        return detailed
    }
}
