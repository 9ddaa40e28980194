import MoECore
import Scheduling

extension SchedulerConfiguration {
    /// The scheduler of an instance with `dataParallelRanks` attention ranks under a scenario's knobs.
    ///
    /// The scenario states batch limits per rank (as vLLM runs one scheduler per data-parallel rank); the
    /// instance's one scheduler pools its ranks, so the token budget and the sequence cap are multiplied by
    /// the rank count (the long-prefill threshold caps one request, which lives on one rank, and is not).
    /// Admission control's prefill rate is left for the caller, which knows the step-time model.
    public init(scenario knobs: ScenarioScheduler, dataParallelRanks: Int) {
        let ranks = max(dataParallelRanks, 1)
        let policy: SchedulingPolicy =
            switch knobs.policy {
            case .fcfs: .fcfs
            case .priority: .priority
            case .deadline: .deadline
            }
        let admission: AdmissionStyle =
            switch knobs.admission {
            case .eager: .eager
            case .reserve: .reserve(.sglang)
            }
        let preemption: PreemptionMode =
            switch knobs.preemption {
            case .recompute: .recompute
            case .swap: .swap
            }
        self.init(
            maxNumBatchedTokens: knobs.maxNumBatchedTokens * ranks, maxNumSeqs: knobs.maxNumSeqs * ranks,
            chunkedPrefill: knobs.chunkedPrefill, longPrefillTokenThreshold: knobs.longPrefillThreshold,
            blockSize: knobs.blockSize, policy: policy, admission: admission, preemption: preemption,
            maxWaitingRequests: knobs.maxWaiting)
    }
}
