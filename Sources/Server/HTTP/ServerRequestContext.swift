import Hummingbird
import NIOCore

/// The request context of the server's routes: Hummingbird's core context plus the connection's channel,
/// through which a route learns that its client went away (``ConnectionCloseWatcher``).
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's connection.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
