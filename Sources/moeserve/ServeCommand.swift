import ArgumentParser
import Engine
import Foundation
import MoECore
import NIOCore
import Server

/// `moeserve serve`: the scenario's deployment served by the engine with the mock MoE backend, behind an
/// OpenAI-compatible HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a scenario's deployment (mock MoE backend) behind an OpenAI-compatible HTTP API.",
        discussion: """
            Routes: POST /v1/completions, POST /v1/chat/completions (streamed or
            whole), GET /v1/models, GET /health, GET /metrics (Prometheus text
            under vLLM's metric names). Without --scenario the shipped
            Simulations/default.yaml is served. Each step takes the step-time
            model's device time times --time-factor (1: real time, 0: as fast as
            the CPU allows). SIGTERM or SIGINT stops accepting connections, lets
            the requests in flight finish, then exits. See Docs/Server.md.

            Examples:
              moeserve serve
              moeserve serve --scenario Simulations/mixtral-8x7b-h100.json \\
                  --port 8080 --time-factor 0.5
            """)

    @Option(help: "Address to listen on (loopback by default; 0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one (printed at start).") var port = 8000
    @Option(help: "The scenario file (YAML or JSON); default: Simulations/default.yaml.") var scenario: String?
    @Option(
        help: "Wall seconds per modelled device second: 1 real time, 0.25 four times faster, 0 as fast as possible.")
    var timeFactor = 1.0
    @Option(help: "The model id clients send (default: the scenario's model key, such as deepseek-v3).")
    var model: String?
    @Option(help: "Seed of the mock's tokens and routing (default: the scenario's).") var seed: UInt64?
    @Option(help: "Output tokens of a chat completion that gives no max_completion_tokens or max_tokens.")
    var chatMaxTokens = 256
    @Flag(
        inversion: .prefixedNo,
        help: "Route every token through the MoE gates and count expert loads (off saves the gating CPU work).")
    var expertRouting = true
    @Option(help: "Most connections open at once (more wait in the listen backlog).") var maxConnections = 4096
    @Option(help: "Seconds a shutdown waits for requests in flight before cancelling them.") var drainTimeout = 60.0

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port (0 to 65535)") }
        guard timeFactor.isFinite, timeFactor >= 0 else {
            throw ValidationError("--time-factor \(timeFactor): expected a finite number >= 0")
        }
        guard chatMaxTokens >= 1 else { throw ValidationError("--chat-max-tokens \(chatMaxTokens): expected >= 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections \(maxConnections): expected >= 1") }
        guard drainTimeout.isFinite, drainTimeout >= 0 else {
            throw ValidationError("--drain-timeout \(drainTimeout): expected a number of seconds >= 0")
        }
    }

    func run() async throws {
        let path = try scenario ?? shippedFile("Simulations/default.yaml", option: "--scenario")
        let loaded = try reportingInputErrors { try Scenario.load(file: path) }
        let mock = MockMoEBackend.Configuration(
            seed: seed ?? loaded.seed, timeFactor: timeFactor, routesTokens: expertRouting)
        let engine: ServingEngine
        do {
            // Records are not kept: a long-running server would otherwise grow with every request.
            engine = try ServingEngine(scenario: loaded, mock: mock, configuration: .init(retainedRecords: 0))
        } catch {
            throw inputError(error)
        }
        let server = OpenAIServer(
            engine: engine,
            configuration: ServerConfiguration(
                host: host, port: port, modelName: model, chatDefaultMaxTokens: chatMaxTokens,
                maxConnections: maxConnections, drainTimeout: .seconds(drainTimeout),
                endOfSequenceToken: mock.endOfSequenceToken))
        let banner =
            "moeserve serve: \(loaded.name), model \(server.limits.model) on \(engine.plan.instances.count) "
            + "instances, time factor \(timeFactor)"
        do {
            try await server.run { address in
                let url = "http://\(address.ipAddress ?? host):\(address.port ?? port)"
                FileHandle.standardOutput.write(Data("\(banner), listening on \(url)\n".utf8))
            }
        } catch let error as IOError {
            throw inputError("cannot listen on \(host):\(port): \(error)")
        }
        FileHandle.standardOutput.write(Data("moeserve serve: shut down\n".utf8))
    }
}
