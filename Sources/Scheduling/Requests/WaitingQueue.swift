import HeapModule
import MoECore

/// Requests waiting for admission, ordered by ``WaitingKey`` (a binary heap from swift-collections).
struct WaitingQueue: Sendable {
    private var heap = Heap<Entry>()

    /// Number of waiting requests.
    var count: Int { heap.count }
    /// Whether nothing waits.
    var isEmpty: Bool { heap.isEmpty }
    /// The request admitted next.
    var first: RequestState? { heap.min?.state }

    /// Adds a request (new, or preempted and returning).
    mutating func insert(_ state: RequestState) { heap.insert(Entry(state: state)) }

    /// Removes and returns the first request.
    mutating func removeFirst() -> RequestState? { heap.popMin()?.state }

    /// Removes the request `id` (a cancellation); O(n), since cancellations are rare.
    mutating func remove(_ id: RequestID) -> RequestState? {
        var removed: RequestState?
        var kept: [Entry] = []
        kept.reserveCapacity(heap.count)
        for entry in heap.unordered {
            if entry.state.id == id { removed = entry.state } else { kept.append(entry) }
        }
        guard removed != nil else { return nil }
        heap = Heap(kept)
        return removed
    }

    /// Every waiting request, in no particular order.
    var unordered: [RequestState] { heap.unordered.map(\.state) }

    private struct Entry: Comparable, Sendable {
        var state: RequestState
        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.state.queueKey < rhs.state.queueKey }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.state.queueKey == rhs.state.queueKey }
    }
}

extension WaitingQueue: Equatable {
    static func == (lhs: WaitingQueue, rhs: WaitingQueue) -> Bool {
        lhs.heap.unordered.map(\.state) == rhs.heap.unordered.map(\.state)
    }
}
