import Foundation
import MoECore
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import Reports
import Synchronization
import Workload

/// Sends a trace's requests to an OpenAI-compatible server at their recorded times and measures each one
/// from its stream, as `vllm bench serve` does: what `moeserve replay` runs.
///
/// Each request is a streamed `POST /v1/completions` on its own connection with the trace's prompt as token
/// ids (``PromptTokens``), `max_tokens` set to its output length with `ignore_eos`, and
/// `stream_options.include_usage`. Its time to first token runs from sending to the first chunk with a choice;
/// each later chunk adds an inter-token gap; the request ends at its last chunk. A 4xx answer (429 for
/// overload) is a rejection counted by the error's `code`; a 5xx, a broken stream or a connection failure is a
/// failure with its reason.
///
/// Times are reported on the trace's clock. A request due at trace time `t` is sent at `t x timeFactor`
/// after the start, and every measured instant is divided back by `timeFactor`: against a `moeserve serve
/// --time-factor X` the same X makes the report directly comparable with `moeserve simulate`, since the server
/// runs each step in X times its modelled time. Against a real server the factor is 1.
public struct TraceReplay: Sendable {
    /// The server.
    public let endpoint: ServerEndpoint
    /// The model id sent.
    public let model: String
    /// Wall seconds per trace second (the server's time factor; 1 for a real server).
    public let timeFactor: Double

    /// A replay against `endpoint` naming `model`.
    /// - Throws: ``ReplayError/invalidTimeFactor(_:)`` unless `timeFactor` is finite and positive.
    public init(endpoint: ServerEndpoint, model: String, timeFactor: Double = 1) throws(ReplayError) {
        guard timeFactor.isFinite, timeFactor > 0 else { throw .invalidTimeFactor(timeFactor) }
        self.endpoint = endpoint
        self.model = model
        self.timeFactor = timeFactor
    }

    /// The first model `endpoint` lists at `GET /v1/models`.
    /// - Throws: ``ReplayError/modelDiscovery(_:_:)`` when it cannot be reached or lists none.
    public static func servedModel(at endpoint: ServerEndpoint) async throws(ReplayError) -> String {
        let client = HTTPStreamingClient(endpoint: endpoint, group: MultiThreadedEventLoopGroup.singleton)
        var status: UInt = 0
        var body = ByteBuffer()
        do {
            try await client.connect().exchange(.GET, endpoint.path("/v1/models"), body: nil) { timed in
                switch timed.part {
                case .head(let head): status = head.status.code
                case .body(var bytes): body.writeBuffer(&bytes)
                case .end: break
                }
            }
        } catch {
            throw .modelDiscovery(endpoint, "\(error)")
        }
        struct ModelList: Decodable {
            struct Model: Decodable { var id: String }
            var data: [Model]
        }
        guard status == 200 else { throw .modelDiscovery(endpoint, "HTTP \(status)") }
        guard let list = try? JSONDecoder().decode(ModelList.self, from: Data(buffer: body)),
            let first = list.data.first
        else { throw .modelDiscovery(endpoint, "the answer lists no model") }
        return first.id
    }

    /// Replays `workload` to its end and returns what was measured, every request accounted for.
    ///
    /// - Parameters:
    ///   - objectives: what goodput is judged against (the scenario's SLOs).
    ///   - onRecord: called with each request's record (on the trace's clock) as it ends.
    /// - Throws: the workload's error (a malformed trace row).
    public func run(
        _ workload: inout some RequestSource, objectives: ScenarioSLO,
        onRecord: @escaping @Sendable (RequestRecord) -> Void = { _ in }
    ) async throws -> ReplayResult {
        let client = HTTPStreamingClient(endpoint: endpoint, group: MultiThreadedEventLoopGroup.singleton)
        let results = ResultBox(ReplayResult(metrics: ServingMetrics(objectives: objectives)))
        // A short lead, so that the first request is not late because the replay was just set up.
        let origin = NIODeadline.now() + .milliseconds(20)
        let clock = ReplayClock(origin: origin, timeFactor: timeFactor)
        try await withThrowingDiscardingTaskGroup { group in
            while let request = try workload.next() {
                let body = requestBody(for: request)
                let due = clock.wallTime(of: request.arrival)
                let lead = due - Self.connectionLead - .now()
                if lead > .zero { try await Task.sleep(nanoseconds: UInt64(lead.nanoseconds)) }
                group.addTask {
                    let measured = await measure(request, body: body, due: due, client: client)
                    let record = measured.record(on: clock)
                    results.value.withLock {
                        $0.add(record, gaps: measured.gaps(on: clock), rejection: measured.rejectionKind)
                    }
                    onRecord(record)
                }
            }
        }
        return results.value.withLock { $0 }
    }

    /// How long before its due time a request's connection is opened.
    static let connectionLead = TimeAmount.milliseconds(50)

    /// Opens a connection, waits for `due`, sends `request` and measures its stream.
    private func measure(
        _ request: RequestSpec, body: ByteBuffer, due: NIODeadline, client: HTTPStreamingClient
    ) async -> MeasuredRequest {
        let connection: HTTPConnection
        do {
            connection = try await client.connect()
        } catch {
            return MeasuredRequest(request: request, measurement: StreamMeasurement(sentAt: due), failure: error)
        }
        let wait = due - .now()
        if wait > .zero { try? await Task.sleep(nanoseconds: UInt64(wait.nanoseconds)) }
        var measurement = StreamMeasurement(sentAt: .now())
        do {
            try await connection.exchange(.POST, endpoint.path("/v1/completions"), body: body) {
                measurement.take($0)
            }
        } catch {
            return MeasuredRequest(request: request, measurement: measurement, failure: error)
        }
        return MeasuredRequest(request: request, measurement: measurement, failure: nil)
    }

    /// The JSON body of `request`'s completion.
    private func requestBody(for request: RequestSpec) -> ByteBuffer {
        let object: [String: Any] = [
            "model": model, "prompt": PromptTokens.ids(for: request), "max_tokens": request.outputTokens,
            "stream": true, "stream_options": ["include_usage": true], "ignore_eos": true,
        ]
        // Strings, integers, booleans and arrays of integers: serialization cannot fail.
        return ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
    }
}

/// What a replay measured: the metrics `moeserve simulate` reports, and rejections by reason.
public struct ReplayResult: Sendable {
    /// Requests by outcome, tokens and latency distributions, on the trace's clock.
    public var metrics: ServingMetrics
    /// Rejections counted by the error's `code` (`queue_full`), or `http_<status>` without one.
    public var rejectionsByReason: [String: Int] = [:]

    mutating func add(_ record: RequestRecord, gaps: [SimDuration], rejection: String?) {
        metrics.record(record)
        for gap in gaps { metrics.recordInterTokenGaps(gap, count: 1) }
        if let rejection { rejectionsByReason[rejection, default: 0] += 1 }
    }
}

/// The result the request tasks add to, shared between them.
private final class ResultBox: Sendable {
    let value: Mutex<ReplayResult>

    init(_ value: ReplayResult) { self.value = Mutex(value) }
}

/// Maps wall instants to the trace's clock and back.
struct ReplayClock: Sendable {
    /// The wall instant of trace time 0.
    let origin: NIODeadline
    /// Wall seconds per trace second.
    let timeFactor: Double

    /// When trace time `time` falls on the wall.
    func wallTime(of time: SimTime) -> NIODeadline {
        origin + .nanoseconds(Int64((Double(time.nanosecondsSinceStart) * timeFactor).rounded()))
    }

    /// The trace time of wall instant `instant`.
    func traceTime(of instant: NIODeadline) -> SimTime {
        SimTime(nanosecondsSinceStart: traceDuration(instant - origin).nanoseconds)
    }

    /// A wall duration on the trace's clock.
    func traceDuration(_ amount: TimeAmount) -> SimDuration {
        SimDuration(nanoseconds: Int64((Double(amount.nanoseconds) / timeFactor).rounded()))
    }
}
