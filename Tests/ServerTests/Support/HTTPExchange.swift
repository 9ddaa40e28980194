import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix

@testable import Replay

/// One HTTP exchange with a test server, through the replay's own client.
struct HTTPExchange: Sendable {
    /// The status.
    var status: Int
    /// The headers.
    var headers: HTTPHeaders
    /// The body.
    var body: Data

    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, if it is one.
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }

    /// The `error` object of an OpenAI-style error body.
    var error: [String: Any]? { json?["error"] as? [String: Any] }

    /// Sends `method path` (with `body`) to the server at `port` and reads the whole answer.
    static func send(
        _ method: HTTPMethod, _ path: String, port: Int, body: Data? = nil
    ) async throws -> HTTPExchange {
        let client = try HTTPStreamingClient(
            endpoint: ServerEndpoint(url: "http://127.0.0.1:\(port)"), group: MultiThreadedEventLoopGroup.singleton)
        var exchange = HTTPExchange(status: 0, headers: [:], body: Data())
        try await client.connect().exchange(method, path, body: body.map { ByteBuffer(data: $0) }) { timed in
            switch timed.part {
            case .head(let head):
                exchange.status = Int(head.status.code)
                exchange.headers = head.headers
            case .body(let bytes): exchange.body.append(contentsOf: bytes.readableBytesView)
            case .end: break
            }
        }
        return exchange
    }

    /// POSTs a JSON object.
    static func post(_ path: String, port: Int, json: [String: Any]) async throws -> HTTPExchange {
        try await send(.POST, path, port: port, body: try JSONSerialization.data(withJSONObject: json))
    }

    /// The value of the series `series` (its name and labels exactly as the server's `/metrics` page writes
    /// them), or nil when the page has none.
    static func metric(_ series: String, port: Int) async throws -> Double? {
        let page = try await send(.GET, "/metrics", port: port).text
        for line in page.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
