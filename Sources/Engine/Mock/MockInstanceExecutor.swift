import Deployment
import Foundation
import MoECore
import Scheduling
import Synchronization

/// Runs one instance's steps for ``MockMoEBackend``: the step's work is split over the instance's
/// devices by attention data-parallel rank, each device routes and samples its own requests' tokens on
/// its own thread into its own staging buffer, and the last device to finish merges the results, waits
/// out the emulated device time and reports.
///
/// A request lives on data-parallel rank `id mod attentionDP` (its KV cache and attention run there); the
/// rank's first tensor-parallel device does its gating and sampling (the rank's other devices hold the
/// same tokens). Every device of the instance takes part in every step, as expert-parallel steps do.
final class MockInstanceExecutor: InstanceExecutor {
    let instance: InstancePlan
    let devices: [EngineDevice]
    let gates: ExpertGates?
    let tokens: MockTokens
    let layout: StagingLayout
    /// Wall seconds per emulated device second.
    let timeFactor: Double
    /// The emulated step time multiplier: the largest slowdown injected on any of the instance's devices.
    let slowdown: Double
    /// Per device rank, the step from which it fails, if it does.
    let failingFrom: [UInt64?]
    let wake = WakeCompensation()
    /// Host gap the device hides between back-to-back steps, in nanoseconds.
    let launchSlack: Int64
    /// When the emulated device finishes the step in flight (a ``MonotonicClock`` reading), or 0.
    let busyUntil = Mutex<Int64>(0)

    init(
        instance: InstancePlan, devices: [EngineDevice], gates: ExpertGates?, tokens: MockTokens, timeFactor: Double,
        launchSlack: SimDuration, faults: [DeviceFault]
    ) {
        self.launchSlack = launchSlack.nanoseconds
        self.instance = instance
        self.devices = devices
        self.gates = gates
        self.tokens = tokens
        self.timeFactor = timeFactor
        layout = StagingLayout(instance: instance, gates: gates)
        var slowdown = 1.0
        var failingFrom = [UInt64?](repeating: nil, count: devices.count)
        for fault in faults {
            guard let rank = devices.firstIndex(where: { $0.id == fault.device }) else { continue }
            switch fault.kind {
            case .fails(let step): failingFrom[rank] = min(failingFrom[rank] ?? .max, step)
            case .slows(let factor): slowdown = max(slowdown, factor)
            }
        }
        self.slowdown = slowdown
        self.failingFrom = failingFrom
    }

    func execute(_ step: BackendStep, completion: @escaping @Sendable (Result<StepOutput, BackendFailure>) -> Void) {
        let modelTime = instance.stepDuration(of: step.batch).total
        let deviceTime = SimDuration.seconds(modelTime.seconds * timeFactor * slowdown)
        let handedOver = MonotonicClock.nanoseconds()
        let end = busyUntil.withLock { busyUntil in
            let start = handedOver - busyUntil <= launchSlack ? busyUntil : handedOver
            busyUntil = start + deviceTime.nanoseconds
            return busyUntil
        }
        let ranks = instance.spec.attentionDP
        let tensorParallel = instance.spec.attentionTP
        var assignment = [[Int]](repeating: [], count: ranks)
        for (index, request) in step.requests.enumerated() {
            assignment[Int(request.id.value % UInt64(ranks))].append(index)
        }
        let work = assignment
        let join = StepJoin(devices: devices.count)
        for device in devices {
            let leads = device.rank % tensorParallel == 0
            let entries = leads ? work[device.rank / tensorParallel] : []
            device.queue.async { [self] in
                if leads { run(entries, of: step, on: device) }
                let failure = failingFrom[device.rank].flatMap { from in
                    step.batch.step >= from
                        ? BackendFailure(device: device.id, message: "injected failure at step \(step.batch.step)")
                        : nil
                }
                guard join.arrive(failure: failure) else { return }
                if let failure = join.firstFailure {
                    completion(.failure(failure))
                    return
                }
                let output = merge(step, work: work, tensorParallel: tensorParallel, deviceTime: deviceTime)
                wake.sleep(until: end)
                completion(.success(output))
            }
        }
    }

    /// Routes every token `entries` compute and samples the tokens they produce, into `device`'s staging
    /// buffer: counts in the routing region, token `j` of the list in slot `j`.
    private func run(_ entries: [Int], of step: BackendStep, on device: EngineDevice) {
        let counts = layout.counts(in: device.staging)
        counts.update(repeating: 0, count: layout.countSlots)
        let slots = layout.tokens(in: device.staging)
        for (slot, index) in entries.enumerated() {
            let entry = step.batch.entries[index]
            let request = step.requests[index]
            if let gates {
                for position in entry.contextTokens..<(entry.contextTokens + entry.newTokens) {
                    var draws = tokens.routingDraws(of: request.id, position: position)
                    for layer in 0..<gates.layers {
                        let row = counts + layer * gates.experts
                        gates.route(layer: layer, draws.nextUnitDouble()) { row[$0] += 1 }
                    }
                }
            }
            if entry.samplesToken {
                slots[slot] =
                    tokens.token(
                        of: request.id, index: request.sampledIndex(in: entry), outputTokens: request.outputTokens
                    ).token
            }
        }
    }

    /// The step's output from the leading devices' staging buffers, tokens in entry order.
    private func merge(_ step: BackendStep, work: [[Int]], tensorParallel: Int, deviceTime: SimDuration)
        -> StepOutput
    {
        var sampled = [SampledToken?](repeating: nil, count: step.requests.count)
        var routed = [UInt32](repeating: 0, count: layout.countSlots)
        for (rank, entries) in work.enumerated() {
            let buffer = devices[rank * tensorParallel].staging
            let slots = layout.tokens(in: buffer)
            for (slot, index) in entries.enumerated() where step.batch.entries[index].samplesToken {
                let request = step.requests[index]
                let isLast = request.sampledIndex(in: step.batch.entries[index]) == request.outputTokens - 1
                sampled[index] = SampledToken(id: request.id, token: slots[slot], isEndOfSequence: isLast)
            }
            guard gates != nil, !entries.isEmpty else { continue }
            let counts = layout.counts(in: buffer)
            for index in routed.indices { routed[index] += counts[index] }
        }
        let routing = gates.map { ExpertRoutingCounts(layers: $0.layers, experts: $0.experts, counts: routed) }
        return StepOutput(tokens: sampled.compactMap { $0 }, routing: routing, deviceTime: deviceTime)
    }
}

/// Counts the devices of one step in; the last to arrive carries on. `@unchecked Sendable` because its
/// fields are guarded by `lock`, whose release and acquisition also order each device's staging-buffer
/// writes before the last device's reads.
final class StepJoin: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private var failure: BackendFailure?

    init(devices: Int) { remaining = devices }

    /// Records one device's arrival (and its failure, if any); true for the last device.
    func arrive(failure: BackendFailure?) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if self.failure == nil { self.failure = failure }
        remaining -= 1
        return remaining == 0
    }

    /// The first failure reported, read by the last device after it arrived.
    var firstFailure: BackendFailure? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }
}

/// Sleeps a device thread until a deadline, waking early by the typical lateness it has learnt, so that the
/// median wake-up lands on the deadline (the kernel's timer slack alone makes a plain sleep about 50-60 µs
/// late on Linux). The margin moves by a fixed 2 µs towards each observed lateness, which tracks the median
/// and ignores spikes: a wake-up delayed by a busy machine stays late (and shows as overhead) instead of
/// teaching later sleeps to end early. `@unchecked Sendable` because the margin is guarded by `lock`.
final class WakeCompensation: @unchecked Sendable {
    private let lock = NSLock()
    private var marginNanoseconds: Int64 = 50_000
    /// How far the margin moves per observation.
    static let adjustment: Int64 = 2_000
    /// Largest margin: a sleep is never cut shorter than this.
    static let maximumMargin: Int64 = 1_000_000

    /// Blocks until about `deadline` (a ``MonotonicClock`` reading); returns at once when it has passed.
    func sleep(until deadline: Int64) {
        lock.lock()
        let margin = marginNanoseconds
        lock.unlock()
        guard deadline - margin > MonotonicClock.nanoseconds() else { return }
        MonotonicClock.sleep(until: deadline - margin)
        let lateness = MonotonicClock.nanoseconds() - deadline
        lock.lock()
        let moved = marginNanoseconds + (lateness > 0 ? Self.adjustment : -Self.adjustment)
        marginNanoseconds = min(Self.maximumMargin, max(0, moved))
        lock.unlock()
    }
}
