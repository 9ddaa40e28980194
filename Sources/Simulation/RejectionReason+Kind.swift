import Scheduling

extension RejectionReason {
    /// The reason's kind in snake case, without its figures: what reports count rejections by.
    public var kind: String {
        switch self {
        case .queueFull: "queue_full"
        case .predictedTTFTExceedsSLO: "predicted_ttft_exceeds_slo"
        case .exceedsKVCapacity: "exceeds_kv_capacity"
        case .promptExceedsTokenBudget: "prompt_exceeds_token_budget"
        case .duplicateID: "duplicate_id"
        case .invalidRequest: "invalid_request"
        }
    }
}
