import Deployment
import MoECore
import Scheduling

/// One instance as the engine runs it: its scheduler, its backend executor and the step in flight.
struct InstanceRuntime {
    let plan: InstancePlan
    var scheduler: BatchScheduler
    let executor: any InstanceExecutor
    let devices: [EngineDevice]
    /// The step handed to the backend and not yet finished.
    var inFlight: InFlightStep?
    /// Why the instance stopped serving, or nil while it serves.
    var failure: String?
    /// Steps the backend ran.
    var steps = 0
    /// Their device time, as the backend reported it.
    var deviceBusyTime = SimDuration.zero
    /// Requests routed here and not ended.
    var outstanding = 0
    /// Routing counts of every step so far (nil when the backend reports none).
    var expertLoad: ExpertLoadAccumulator?
}

/// A step in flight.
struct InFlightStep {
    let batch: ScheduledBatch
    /// When it was handed to the backend.
    let startedAt: SimTime
}

/// A request the engine has accepted and not yet ended.
struct LiveRequest {
    let spec: RequestSpec
    let instance: Int
    let sink: EventSink
    var generatedTokens = 0
    /// The scheduler step that first ran it.
    var firstStep: UInt64?
    var firstTokenAt: SimTime?
    var lastTokenAt: SimTime?
    var cachedPromptTokens = 0
    var endedAtEndOfSequence = false
}
