import Synchronization

/// HTTP responses counted by status code, for `/metrics` (`moeserve:http_responses_total`).
final class ResponseCounter: Sendable {
    private let counts = Mutex<[Int: Int]>([:])

    /// Counts one response with `status`.
    func count(_ status: Int) { counts.withLock { $0[status, default: 0] += 1 } }

    /// The counts so far.
    var snapshot: [Int: Int] { counts.withLock { $0 } }
}
