import Engine
import Foundation
import MoECore

/// Collects the events callbacks receive, from any thread, and lets a test wait until a number of requests
/// have finished. `@unchecked Sendable`: every field is guarded by `lock`.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [RequestID: [GeneratedToken]] = [:]
    private var completions: [RequestID: [RequestCompletion]] = [:]
    private var finishedCount = 0
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// Records one event.
    func record(_ event: GenerationEvent) {
        lock.lock()
        var ready: [CheckedContinuation<Void, Never>] = []
        switch event {
        case .token(let token): tokens[token.id, default: []].append(token)
        case .finished(let completion):
            completions[completion.record.id, default: []].append(completion)
            finishedCount += 1
            ready = waiters.filter { $0.count <= finishedCount }.map(\.continuation)
            waiters.removeAll { $0.count <= finishedCount }
        }
        lock.unlock()
        for continuation in ready { continuation.resume() }
    }

    /// Returns once `count` finish events have been recorded.
    func waitForFinishes(_ count: Int) async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if finishedCount >= count {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append((count, continuation))
                lock.unlock()
            }
        }
    }

    /// The tokens received for `id`, in arrival order.
    func tokens(of id: RequestID) -> [GeneratedToken] {
        lock.lock()
        defer { lock.unlock() }
        return tokens[id] ?? []
    }

    /// The finish events received for `id` (exactly one when all is well).
    func completions(of id: RequestID) -> [RequestCompletion] {
        lock.lock()
        defer { lock.unlock() }
        return completions[id] ?? []
    }
}
