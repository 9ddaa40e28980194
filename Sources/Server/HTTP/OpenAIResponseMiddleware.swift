import Hummingbird

/// Counts every response by status (for `/metrics`) and answers what the router itself refuses (an unknown
/// path, a wrong method) with an OpenAI-style error body instead of an empty one.
struct OpenAIResponseMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let counter: ResponseCounter

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            let status = error.status
            response = OpenAIServer.response(
                OpenAIError(
                    status: status.code, message: "\(request.method) \(request.uri.path): \(status.reasonPhrase)",
                    type: "invalid_request_error", code: status == .notFound ? "not_found" : nil))
        }
        counter.count(response.status.code)
        return response
    }
}
