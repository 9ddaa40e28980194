import MoECore

/// The answer to ``BatchScheduler/enqueue(_:now:)``: the request waits, or it is turned away with a reason.
public enum AdmissionDecision: Hashable, Sendable {
    /// The request joined the waiting queue.
    case admitted
    /// The request was refused; it will never run on this scheduler.
    case rejected(RejectionReason)

    /// Whether the request joined the queue.
    public var isAdmitted: Bool { self == .admitted }
}

/// Why a request was refused. Every refusal names one; nothing is dropped silently.
public enum RejectionReason: Hashable, Sendable, CustomStringConvertible {
    /// The waiting queue already holds `capacity` requests.
    case queueFull(capacity: Int)
    /// The predicted time to first token exceeds the request's objective.
    case predictedTTFTExceedsSLO(predicted: SimDuration, objective: SimDuration)
    /// Prompt and output can never fit in the KV cache, even alone.
    case exceedsKVCapacity(requiredBlocks: Int, totalBlocks: Int)
    /// Chunked prefill is off and the prompt is longer than the token budget of one step.
    case promptExceedsTokenBudget(promptTokens: Int, maxNumBatchedTokens: Int)
    /// A request with this id is already queued or running.
    case duplicateID
    /// The request itself is malformed (the text says which field and why).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .queueFull(let capacity): "waiting queue full (\(capacity) requests)"
        case .predictedTTFTExceedsSLO(let predicted, let objective):
            "predicted time to first token \(predicted) exceeds the objective \(objective)"
        case .exceedsKVCapacity(let required, let total):
            "needs \(required) KV blocks but the cache has \(total)"
        case .promptExceedsTokenBudget(let prompt, let budget):
            "prompt of \(prompt) tokens exceeds max_num_batched_tokens \(budget) with chunked prefill off"
        case .duplicateID: "a request with this id is already in the scheduler"
        case .invalidRequest(let why): "invalid request: \(why)"
        }
    }
}
