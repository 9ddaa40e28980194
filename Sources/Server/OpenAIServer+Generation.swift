import Engine
import Foundation
import Hummingbird
import MoECore
import NIOCore

/// `POST /v1/completions` and `POST /v1/chat/completions`.
extension OpenAIServer {
    /// Parses the request, submits it to the engine and answers: a stream of server-sent events, or the whole
    /// completion once it has ended.
    func generate(
        _ request: Request, context: ServerRequestContext, endpoint: GenerationRequest.Endpoint
    ) async -> Response {
        let parsed: GenerationRequest
        do {
            let body = try await request.body.collect(upTo: configuration.maxRequestBytes)
            parsed = try GenerationRequest(body: Data(buffer: body), endpoint: endpoint, limits: limits)
        } catch let error as OpenAIError {
            return Self.response(error)
        } catch is NIOTooManyBytesError {
            return Self.response(
                OpenAIError(
                    status: 413, message: "The request body is larger than \(configuration.maxRequestBytes) bytes.",
                    type: "invalid_request_error", code: "request_too_large"))
        } catch {
            return Self.response(
                OpenAIError(
                    status: 400, message: "The request body could not be read: \(error)", type: "invalid_request_error")
            )
        }
        let id = requestIDs.next()
        let spec = RequestSpec(
            id: id, arrival: .zero, promptTokens: parsed.promptTokenIDs.count, outputTokens: parsed.maxTokens,
            prefixBlockHashes: PromptBlockHashes.chained(parsed.promptTokenIDs, blockTokens: promptBlockTokens),
            prefixBlockTokens: promptBlockTokens, ttftSLO: objectives.ttft, tpotSLO: objectives.tpot)
        let stream: GenerationStream
        do {
            stream = try await engine.submit(spec)
        } catch {
            return Self.response(OpenAIError(rejection: error, retryAfterSeconds: configuration.retryAfterSeconds))
        }
        let watcher = await context.channel.closeWatcher
        let watch = watcher?.whenClosed { stream.cancel() }
        let responseID = (endpoint == .completions ? "cmpl-" : "chatcmpl-") + String(id.value)
        let created = Int(Date().timeIntervalSince1970)
        if parsed.stream {
            let opening = CompletionStream(
                request: parsed, id: responseID, created: created, endOfSequence: configuration.endOfSequenceToken)
            let body = ResponseBody { writer in
                var events = opening
                defer {
                    watcher?.remove(watch)
                    stream.cancel()
                }
                for await event in stream {
                    for frame in events.frames(for: event) { try await writer.write(ByteBuffer(string: frame)) }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
        defer { watcher?.remove(watch) }
        guard let result = try? await stream.collect() else {
            return Self.response(
                OpenAIError(status: 503, message: "The request was cancelled.", type: "server_error", code: "cancelled")
            )
        }
        return whole(result, request: parsed, id: responseID, created: created)
    }

    /// The response to a non-streamed request once it has ended.
    private func whole(_ result: GenerationResult, request: GenerationRequest, id: String, created: Int) -> Response {
        let reason = result.completion.reason
        switch reason {
        case .stop, .length:
            let text = result.tokens.map {
                TokenText.piece(for: $0, isEndOfSequence: $0 == configuration.endOfSequenceToken)
            }.joined()
            let document = CompletionDocument(
                shape: request.endpoint == .completions ? .completion : .chatCompletion, id: id, created: created,
                model: request.model,
                choice: .init(text: text, finishReason: reason.openAIFinishReason, opensMessage: false),
                usage: .init(promptTokens: request.promptTokenIDs.count, record: result.completion.record),
                writesUsage: true)
            return Self.json(document.data())
        case .cancelled:
            return Self.response(
                OpenAIError(status: 503, message: "The request was cancelled.", type: "server_error", code: "cancelled")
            )
        case .failed(let why):
            return Self.response(
                OpenAIError(status: 500, message: why, type: "server_error", code: "generation_failed"))
        case .rejected(let rejection):
            return Self.response(OpenAIError(rejection: rejection, retryAfterSeconds: configuration.retryAfterSeconds))
        }
    }

    /// An error answered with its status, body and (for overload) `Retry-After`.
    static func response(_ error: OpenAIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        return Response(
            status: .init(code: error.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: error.body()))
        )
    }

    /// A 200 with a JSON body.
    static func json(_ data: Data) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
