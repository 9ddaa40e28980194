import Deployment
import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import MoECore
import NIOCore
import ServiceLifecycle

/// An OpenAI-compatible HTTP server in front of a ``Engine/ServingEngine``: what `moeserve serve` runs, so
/// SDKs, gateways and load generators can be pointed at a mock MoE deployment.
///
/// ```swift
/// let engine = try ServingEngine(scenario: scenario, mock: .init(seed: 1, timeFactor: 1))
/// let server = OpenAIServer(engine: engine, configuration: ServerConfiguration(port: 8000))
/// try await server.run { address in print("listening on \(address)") }   // until SIGTERM or SIGINT
/// ```
///
/// Routes: `POST /v1/completions` and `POST /v1/chat/completions` (streamed as server-sent events or whole),
/// `GET /v1/models`, `GET /health`, `GET /metrics` (Prometheus text under vLLM's names). Every refusal is an
/// OpenAI-style error body: 400 for a bad request, 429 with `Retry-After` for overload, 503 while shutting
/// down. A client that goes away has its request cancelled; a graceful shutdown stops accepting connections,
/// lets the requests in flight finish (up to ``ServerConfiguration/drainTimeout``), then stops the engine.
/// `Docs/Server.md` describes the protocol details.
public struct OpenAIServer: Sendable {
    /// The engine served.
    public let engine: ServingEngine
    /// How the server listens and answers.
    public let configuration: ServerConfiguration
    /// What requests are checked against.
    public let limits: GenerationLimits
    /// Tokens per prefix-hash block (the scheduler's KV block size).
    let promptBlockTokens: Int
    /// The scenario's objectives, given to every request (as the simulator gives them).
    let objectives: ScenarioSLO
    /// Unix seconds at which the server started (`/v1/models`' `created`).
    let startedAt: Int
    let requestIDs = RequestIDs()
    let responses = ResponseCounter()

    /// A server for `engine`'s deployment.
    public init(engine: ServingEngine, configuration: ServerConfiguration = ServerConfiguration()) {
        self.engine = engine
        self.configuration = configuration
        let plan = engine.plan
        let model = plan.scenario.model
        let kvTokens =
            plan.instances.map {
                $0.kvCacheConfiguration.totalBlocks * $0.schedulerConfiguration.blockSize
            }.max() ?? 0
        limits = GenerationLimits(
            model: configuration.modelName ?? model.key, vocabularySize: model.vocabularySize,
            maxSequenceTokens: model.contextLength ?? kvTokens, chatDefaultMaxTokens: configuration.chatDefaultMaxTokens
        )
        promptBlockTokens = plan.instances.first?.schedulerConfiguration.blockSize ?? 64
        objectives = plan.scenario.slo
        startedAt = Int(Date().timeIntervalSince1970)
    }

    /// Serves until a graceful shutdown (SIGTERM or SIGINT), then drains and stops the engine.
    /// - Parameter onListening: called once the socket is bound, with its address (the port chosen when
    ///   ``ServerConfiguration/port`` is 0).
    /// - Throws: when the address cannot be bound.
    public func run(onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }) async throws {
        // Warnings and worse, on standard error (standard output carries the listening line).
        var logger = Logger(label: "moeserve.server") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let application = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionCloseWatcher()])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "moeserve",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
            onServerRunning: { channel in
                if let address = channel.localAddress { onListening(address) }
            },
            logger: logger)
        var group = ServiceGroupConfiguration(
            services: [EngineService(engine: engine), application], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        group.maximumGracefulShutdownDuration = configuration.drainTimeout
        try await ServiceGroup(configuration: group).run()
    }

    /// The routes, behind a middleware that counts responses and answers unknown paths in OpenAI's shape.
    func makeRouter() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.middlewares.add(OpenAIResponseMiddleware(counter: responses))
        router.post("/v1/completions") { request, context in
            await generate(request, context: context, endpoint: .completions)
        }
        router.post("/v1/chat/completions") { request, context in
            await generate(request, context: context, endpoint: .chatCompletions)
        }
        router.get("/v1/models") { _, _ in models() }
        router.get("/health") { _, _ in await health() }
        router.get("/metrics") { _, _ in await metricsPage() }
        return router
    }
}
