import NIOCore
import Synchronization

/// A channel handler that tells the request in flight on its connection when the client goes away: the
/// connection closes, or its input does (the client shut its side: it will read no answer).
///
/// Hummingbird runs a route to its end even when its client has left; a generation waiting for its first
/// token, or a non-streamed one, would hold its KV blocks to the last token. Routes register a callback
/// (``whenClosed(_:)``) that cancels their engine request, so the blocks are freed at once. A streamed
/// response also notices when its next write fails.
final class ConnectionCloseWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    private struct State {
        var closed = false
        var nextToken = 0
        var callbacks: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// A watcher for one connection.
    init() {}

    /// Calls `callback` once when the client goes away, at once if it already has. Returns a token for
    /// ``remove(_:)``, or nil when it has already been called.
    func whenClosed(_ callback: @escaping @Sendable () -> Void) -> Int? {
        let token = state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            state.nextToken += 1
            state.callbacks[state.nextToken] = callback
            return state.nextToken
        }
        if token == nil { callback() }
        return token
    }

    /// Forgets the callback registered under `token` (the request ended while the client was there).
    func remove(_ token: Int?) {
        guard let token else { return }
        _ = state.withLock { $0.callbacks.removeValue(forKey: token) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        clientLeft()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { clientLeft() }
        context.fireUserInboundEventTriggered(event)
    }

    private func clientLeft() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.callbacks = [:] }
            return Array(state.callbacks.values)
        }
        for callback in callbacks { callback() }
    }
}

extension Channel {
    /// The connection's ``ConnectionCloseWatcher``, or nil when its pipeline has none.
    var closeWatcher: ConnectionCloseWatcher? {
        get async { try? await pipeline.handler(type: ConnectionCloseWatcher.self).get() }
    }
}
