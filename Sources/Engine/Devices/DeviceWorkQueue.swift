import DequeModule
import Foundation
import Topology

/// A serial queue of one device's work, served by one dedicated thread that runs on the CPUs of the
/// device's NUMA node.
///
/// Dispatch queues borrow threads from a shared pool, so binding "the queue's thread" to a NUMA node
/// would bind whichever pool thread ran the block and leak the binding to unrelated work. A device
/// therefore gets its own thread, bound once when it starts (`numa_run_on_node`), and jobs run on it
/// in submission order. The thread may block (the mock backend sleeps on it to emulate device time),
/// which a Dispatch pool thread must not. It exits once the queue is closed and its jobs are done.
public final class DeviceWorkQueue: Sendable {
    /// The queue's name (also given to its thread where Foundation applies thread names).
    public let label: String
    /// The host NUMA node the thread is bound to, or nil to leave it unbound.
    public let numaNode: Int?
    private let state: WorkQueueState

    /// Starts the thread; it binds itself to `numaNode` before running any job.
    public init(label: String, numaNode: Int?) {
        self.label = label
        self.numaNode = numaNode
        let state = WorkQueueState()
        self.state = state
        let thread = Thread { state.serve(bindingTo: numaNode) }
        thread.name = label
        thread.start()
    }

    deinit { state.close() }

    /// Runs `job` on the device's thread after the jobs already queued (dropped once the queue is closed).
    public func async(_ job: @escaping @Sendable () -> Void) {
        state.push(job)
    }

    /// Lets the thread finish the queued jobs and exit; jobs submitted afterwards are dropped.
    public func close() {
        state.close()
    }

    /// How the thread's NUMA binding went: asked of the thread itself, after any jobs queued before, so the
    /// answer is final; once the queue is closed, what is known.
    public func threadBinding() async -> ThreadBinding {
        await withCheckedContinuation { continuation in
            let queued = state.push { [state] in continuation.resume(returning: state.binding) }
            if !queued { continuation.resume(returning: state.binding) }
        }
    }
}

/// The outcome of binding a device thread to its NUMA node.
public enum ThreadBinding: Hashable, Sendable, CustomStringConvertible {
    /// The thread runs only on the CPUs of this host NUMA node.
    case bound(node: Int)
    /// The thread runs wherever the kernel puts it, and why.
    case unbound(reason: String)

    public var description: String {
        switch self {
        case .bound(let node): "bound to NUMA node \(node)"
        case .unbound(let reason): "unbound (\(reason))"
        }
    }
}

/// The queue's shared state: jobs and flags guarded by one condition variable, which the device thread
/// waits on when idle. `@unchecked Sendable` because every mutable field is read and written only with
/// `condition` locked.
private final class WorkQueueState: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs = Deque<@Sendable () -> Void>()
    private var closed = false
    private var boundAs = ThreadBinding.unbound(reason: "thread not started")

    /// How binding went (set by the device thread before it runs any job).
    var binding: ThreadBinding {
        condition.lock()
        defer { condition.unlock() }
        return boundAs
    }

    /// Queues `job`; false (and the job dropped) once the queue is closed.
    @discardableResult
    func push(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    /// The device thread's body: bind, then run jobs until closed and empty.
    func serve(bindingTo node: Int?) {
        var outcome = ThreadBinding.unbound(reason: "no NUMA node requested")
        if let node {
            do {
                try NUMAThreadBinding.bindCurrentThread(toNUMANode: node)
                outcome = .bound(node: node)
            } catch {
                outcome = .unbound(reason: "\(error)")
            }
        }
        condition.lock()
        boundAs = outcome
        condition.unlock()
        while let job = next() { job() }
    }

    private func next() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        return jobs.popFirst()
    }
}
