import Dispatch

/// A serial executor that runs an actor's jobs on a serial `DispatchQueue`.
///
/// The engine's scheduling loop is an actor whose executor is this queue: the compiler checks that its
/// state is touched only in isolation, callers hop to it with `await`, and Dispatch callbacks (a backend
/// finishing a step, a timer) enter it with `queue.async { engine.assumeIsolated { ... } }` without
/// creating a task. `checkIsolated()` is what lets `assumeIsolated` accept a plain `queue.async` block.
final class DispatchQueueExecutor: SerialExecutor {
    /// The queue every job runs on.
    let queue: DispatchQueue

    /// An executor over a new serial queue named `label`.
    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
