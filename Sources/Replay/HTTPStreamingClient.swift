import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client on SwiftNIO: one exchange per connection, the response handed over part by part,
/// each stamped on the event loop the moment it was read, so latencies measured from a stream are not delayed
/// by the task that consumes it.
///
/// It is what `moeserve replay` sends with: SwiftNIO is already in the build (the server runs on it), it
/// streams bodies as they arrive, and it sets no per-host connection limit that would queue requests on the
/// client side and add to the latencies it measures (as URLSession's default of six per host does).
/// Connecting is separate from sending, so a replay opens each connection shortly before its request is due
/// and times the request from when it is written, as a client with a warm connection pool would.
struct HTTPStreamingClient: Sendable {
    /// The server.
    let endpoint: ServerEndpoint
    /// The event loops connections run on.
    let group: any EventLoopGroup

    /// Opens a connection to the server.
    /// - Throws: the connection error (refused, timed out).
    func connect() async throws -> HTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ArrivalStamp())
                    return try NIOAsyncChannel<TimedResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return HTTPConnection(endpoint: endpoint, channel: channel)
    }
}

/// An open connection, good for one exchange.
struct HTTPConnection: Sendable {
    let endpoint: ServerEndpoint
    let channel: NIOAsyncChannel<TimedResponsePart, HTTPClientRequestPart>

    /// Sends `method path` with `body` (JSON), calls `onPart` with each part of the response in order until
    /// its end, and closes the connection.
    /// - Throws: a connection or protocol error; whatever `onPart` throws.
    func exchange(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer?, onPart: (TimedResponsePart) throws -> Void
    ) async throws {
        try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "\(endpoint.host):\(endpoint.port)")
            head.headers.add(name: "Accept", value: "application/json, text/event-stream")
            head.headers.add(name: "Connection", value: "close")
            if let body {
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(body.readableBytes))
            }
            try await outbound.write(
                contentsOf: [.head(head)] + (body.map { [.body(.byteBuffer($0))] } ?? []) + [.end(nil)])
            for try await part in inbound {
                try onPart(part)
                if case .end = part.part { return }
            }
            throw HTTPClientError.closedEarly
        }
    }
}

/// A response part and when it was read.
struct TimedResponsePart: Sendable {
    /// The part.
    var part: HTTPClientResponsePart
    /// When the event loop read it.
    var arrival: NIODeadline
}

/// Why an exchange ended without a whole response.
enum HTTPClientError: Error, CustomStringConvertible {
    /// The server closed the connection before the response ended.
    case closedEarly

    var description: String { "the server closed the connection before the response ended" }
}

/// Stamps each response part with the time it was read.
private final class ArrivalStamp: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = TimedResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let stamped = TimedResponsePart(part: unwrapInboundIn(data), arrival: .now())
        context.fireChannelRead(wrapInboundOut(stamped))
    }
}
