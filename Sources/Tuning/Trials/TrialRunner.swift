import Dispatch
import Foundation
import MoECore

/// How far a batch of trials has got, for a progress bar.
public struct TrialProgress: Sendable, Hashable {
    /// Trials of the whole run finished so far (simulated or found in the ledger).
    public var finished: Int
    /// Trials the run expects in all, when known.
    public var expected: Int?
    /// Of those finished, simulated by this process.
    public var simulated: Int
    /// Of those finished, read back from the ledger or an earlier batch.
    public var reused: Int
}

/// Runs trials on every core and remembers them: a configuration asked for twice is simulated once, and
/// one found in the ledger (a resumed sweep's CSV) is not simulated at all.
///
/// ``run(_:)`` takes a batch of configurations, simulates the new ones with `DispatchQueue.concurrentPerform`
/// (each simulation is deterministic and independent), streams each to the ledger as it ends, and returns
/// the trials in the batch's order, whatever order they finished in. Searches decide only between batches,
/// so their course, and every output, is the same on one core or sixteen.
public final class TrialRunner: @unchecked Sendable {
    /// What simulates one configuration.
    public let evaluator: TrialEvaluator
    /// Trials expected in all, for progress reports; searches that know it set it.
    public var expectedTrials: Int? {
        get { lock.withLock { progressState.expected } }
        set { lock.withLock { progressState.expected = newValue } }
    }
    private let ledger: SweepLedger?
    private let progress: (@Sendable (TrialProgress) -> Void)?
    private let lock = NSLock()
    private var cache: [String: Trial] = [:]
    private var requested: [[ScenarioOverride]] = []
    private var requestedIdentities = Set<String>()
    private var progressState = TrialProgress(finished: 0, expected: nil, simulated: 0, reused: 0)

    /// A runner simulating with `evaluator`, resuming from and streaming to `ledger`, reporting `progress`.
    public init(
        evaluator: TrialEvaluator, ledger: SweepLedger? = nil, progress: (@Sendable (TrialProgress) -> Void)? = nil
    ) {
        self.evaluator = evaluator
        self.ledger = ledger
        self.progress = progress
    }

    /// Simulations this runner ran.
    public var simulatedCount: Int { lock.withLock { progressState.simulated } }
    /// Distinct configurations asked for, in the order first asked.
    public var requestedConfigurations: [[ScenarioOverride]] { lock.withLock { requested } }

    /// The trials of `configurations`, in order; new ones simulated in parallel.
    /// - Throws: the first `WorkloadError` (or ledger error) a simulation met; trials that ended are kept.
    public func run(_ configurations: [[ScenarioOverride]]) throws -> [Trial] {
        var missing: [[ScenarioOverride]] = []
        lock.withLock {
            var queued = Set<String>()
            for overrides in configurations {
                let identity = overrides.identity
                if requestedIdentities.insert(identity).inserted { requested.append(overrides) }
                if cache[identity] != nil || queued.contains(identity) { continue }
                if let stored = ledger?.trial(for: overrides) {
                    cache[identity] = stored
                    progressState.finished += 1
                    progressState.reused += 1
                } else {
                    queued.insert(identity)
                    missing.append(overrides)
                }
            }
            progress?(progressState)
        }
        let errors = ErrorBox()
        let missingConfigurations = missing
        DispatchQueue.concurrentPerform(iterations: missingConfigurations.count) { index in
            let overrides = missingConfigurations[index]
            do {
                let trial = Trial(overrides: overrides, outcome: try evaluator.evaluate(overrides))
                try lock.withLock {
                    cache[overrides.identity] = trial
                    progressState.finished += 1
                    progressState.simulated += 1
                    try ledger?.record(trial)
                    progress?(progressState)
                }
            } catch {
                errors.keep(error)
            }
        }
        if let error = errors.first { throw error }
        return lock.withLock { configurations.map { cache[$0.identity]! } }
    }

    /// Rewrites the ledger in the order configurations were first asked for (see ``SweepLedger/finish(first:)``).
    public func finishLedger() throws {
        try ledger?.finish(first: requestedConfigurations)
    }
}

/// The first error thrown by any of several concurrent tasks.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func keep(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }
    var first: (any Error)? { lock.withLock { error } }
}
