import Testing

/// A trait for the suites whose tests measure wall-clock latencies or keep the CPUs busy: their test cases run one
/// at a time across every test target of the run (all of which share one process), so that the engine's clock
/// test and the server's replay test, say, never disturb each other. `.serialized` orders a suite's own tests;
/// this orders them against the other suites that carry it.
public struct WallClockExclusive: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// A scope per test case; none for a suite, which would hold the gate for all its tests.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite || testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await WallClockGate.shared.enter()
        do {
            try await function()
        } catch {
            await WallClockGate.shared.leave()
            throw error
        }
        await WallClockGate.shared.leave()
    }
}

extension Trait where Self == WallClockExclusive {
    /// Runs each test case alone among those of every suite with this trait.
    public static var wallClockExclusive: Self { WallClockExclusive() }
}

/// One holder at a time, the others waiting in order.
private actor WallClockGate {
    static let shared = WallClockGate()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            held = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
