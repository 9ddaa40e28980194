import MoECore

/// A workload held in memory: the given requests in arrival order (ties keep their given order).
///
/// For tests and for callers that build requests themselves, such as replaying one trace slice through
/// both the simulator and the engine. Ids are kept as given; a workload read from a file streams instead.
public struct RequestList: RequestSource, Sendable {
    private let requests: [RequestSpec]
    private var position = 0

    /// A source of `requests`, sorted by arrival.
    public init(_ requests: [RequestSpec]) {
        self.requests = requests.enumerated()
            .sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }.map(\.element)
    }

    /// The next request, or nil after the last.
    public mutating func next() throws -> RequestSpec? {
        guard position < requests.count else { return nil }
        defer { position += 1 }
        return requests[position]
    }
}
