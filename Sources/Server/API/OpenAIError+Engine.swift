import Engine
import Simulation

/// The HTTP answer to an engine's refusal.
extension OpenAIError {
    /// 429 with `Retry-After` for overload (the queue is full, or the request is predicted to miss its TTFT
    /// objective), 400 for a request that can never be served as sent (larger than the KV cache), 503 when
    /// the server is shutting down or has no instance left. `code` is the reason's kind (`queue_full`), the
    /// key `moeserve simulate` counts rejections by.
    init(rejection: EngineRejection, retryAfterSeconds: Int = 1) {
        switch rejection {
        case .refused(let reason) where rejection.isOverload:
            self.init(
                status: 429, message: reason.description, type: "rate_limit_error", code: reason.kind,
                retryAfterSeconds: retryAfterSeconds)
        case .refused(let reason):
            self.init(status: 400, message: reason.description, type: "invalid_request_error", code: reason.kind)
        case .shuttingDown:
            self.init(status: 503, message: rejection.description, type: "server_error", code: "shutting_down")
        case .noServingInstance:
            self.init(status: 503, message: rejection.description, type: "server_error", code: "no_serving_instance")
        }
    }
}
