import Deployment
import Engine
import Foundation
import MoECore
import Scheduling

/// A hand-driven backend for engine tests, and an example of implementing ``ModelBackend``: token `i` of
/// a request is `1000 + i`; it stops at `stopIndex` (if set) or at the request's output length; steps
/// either complete at once, wait until the test releases them, never complete, or report nonsense.
final class ScriptedBackend: ModelBackend, @unchecked Sendable {
    /// What the executor does with each step.
    enum Behaviour: Sendable {
        /// Completes every step at once.
        case immediate
        /// Holds every step until ``release()``.
        case held
        /// Never completes a step (the engine's step timeout must catch it).
        case never
        /// Reports one token too few.
        case missingToken
    }

    let behaviour: Behaviour
    /// The output index at which the end-of-sequence token comes, or nil for none but the output length.
    let stopIndex: Int?
    /// Whether the request's last allowed token is the end-of-sequence token (else it ends on length).
    let stopsAtLength: Bool
    private let lock = NSLock()
    private var held: [@Sendable () -> Void] = []
    private var stepsSeen = 0
    private var stepWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(_ behaviour: Behaviour, stopIndex: Int? = nil, stopsAtLength: Bool = true) {
        self.behaviour = behaviour
        self.stopIndex = stopIndex
        self.stopsAtLength = stopsAtLength
    }

    func stagingBytes(for instance: InstancePlan) -> Int { 64 }

    func makeExecutor(for instance: InstancePlan, devices: [EngineDevice]) throws -> any InstanceExecutor {
        Executor(backend: self)
    }

    /// Completes every held step (and, in `.held` mode, keeps holding later ones).
    func release() {
        lock.lock()
        let steps = held
        held = []
        lock.unlock()
        for step in steps { step() }
    }

    /// Steps handed over so far.
    var steps: Int {
        lock.lock()
        defer { lock.unlock() }
        return stepsSeen
    }

    /// Returns once `count` steps have been handed over.
    func waitForSteps(_ count: Int) async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if stepsSeen >= count {
                lock.unlock()
                continuation.resume()
            } else {
                stepWaiters.append((count, continuation))
                lock.unlock()
            }
        }
    }

    /// The output of `step` under the script.
    func output(of step: BackendStep) -> StepOutput {
        var tokens: [SampledToken] = []
        for (entry, request) in zip(step.batch.entries, step.requests) where entry.samplesToken {
            let index = request.sampledIndex(in: entry)
            let isStop = index == stopIndex || (stopsAtLength && index == request.outputTokens - 1)
            tokens.append(SampledToken(id: request.id, token: UInt32(1000 + index), isEndOfSequence: isStop))
        }
        if behaviour == .missingToken && !tokens.isEmpty { tokens.removeLast() }
        return StepOutput(tokens: tokens, routing: nil, deviceTime: .microseconds(10))
    }

    private func accept(
        _ step: BackendStep, completion: @escaping @Sendable (Result<StepOutput, BackendFailure>) -> Void
    ) {
        lock.lock()
        stepsSeen += 1
        let ready = stepWaiters.filter { $0.count <= stepsSeen }.map(\.continuation)
        stepWaiters.removeAll { $0.count <= stepsSeen }
        lock.unlock()
        for waiter in ready { waiter.resume() }
        let output = output(of: step)
        switch behaviour {
        case .immediate, .missingToken: completion(.success(output))
        case .held:
            lock.lock()
            held.append { completion(.success(output)) }
            lock.unlock()
        case .never: break
        }
    }

    private struct Executor: InstanceExecutor {
        let backend: ScriptedBackend

        func execute(_ step: BackendStep, completion: @escaping @Sendable (Result<StepOutput, BackendFailure>) -> Void)
        {
            backend.accept(step, completion: completion)
        }
    }
}
