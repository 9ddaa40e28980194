import MoECore
import Synchronization

/// Hands out engine request ids, one per generation, from 1 up.
final class RequestIDs: Sendable {
    private let last = Atomic<UInt64>(0)

    /// The next id.
    func next() -> RequestID { RequestID(last.add(1, ordering: .relaxed).newValue) }
}
