import Engine
import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/models`, `GET /health` and `GET /metrics`.
extension OpenAIServer {
    /// The served model, in OpenAI's list shape, with vLLM's `max_model_len`.
    func models() -> Response {
        let object: [String: Any] = [
            "object": "list",
            "data": [
                [
                    "id": limits.model, "object": "model", "created": startedAt, "owned_by": "moeserve",
                    "root": engine.plan.scenario.model.key, "max_model_len": limits.maxSequenceTokens,
                ] as [String: Any]
            ],
        ]
        // Strings and integers only: serialization cannot fail.
        return Self.json(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// 200 while some instance serves, 503 once every one has failed (as vLLM's `/health` answers).
    func health() async -> Response {
        let serving = await engine.metrics().instances.contains { $0.failure == nil }
        return Response(status: serving ? .ok : .serviceUnavailable)
    }

    /// The Prometheus page.
    func metricsPage() async -> Response {
        let text = PrometheusExposition(modelName: limits.model).render(
            await engine.metrics(), httpResponses: responses.snapshot)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
