import Deployment
import Engine
import MoECore
import PerfModel
import Simulation
import TestSupport
import Testing
import Topology
import Workload

extension EngineLoadTests {
    @Suite struct MockMoEBackendTests {
        /// The tokens of `request` served alone by a fresh engine over `plan`.
        static func tokens(of request: RequestSpec, plan: DeploymentPlan, mock: MockMoEBackend.Configuration)
            async throws
            -> GenerationResult
        {
            let engine = try ServingEngine(plan: plan, backend: MockMoEBackend(plan: plan, configuration: mock))
            let result = try await engine.submit(request).collect()
            await engine.shutdown()
            return result
        }

        @Test func tokensDependOnlyOnSeedRequestAndPositionAndEndWithEndOfSequence() async throws {
            let plan = try DeploymentPlan(scenario: EngineFixtures.tinyScenario())
            let request = EngineFixtures.request(42, prompt: 200, output: 30)
            let alone = try await Self.tokens(of: request, plan: plan, mock: .init(seed: 9))
            // The same request batched with others, under preemption pressure and at a time factor, samples the
            // same tokens.
            let engine = try ServingEngine(
                plan: plan, backend: MockMoEBackend(plan: plan, configuration: .init(seed: 9, timeFactor: 0.001)))
            let crowd = try await (0..<40).asyncMap { id in
                try await engine.submit(EngineFixtures.request(id, prompt: 400, output: 60))
            }
            let batched = try await engine.submit(request).collect()
            for stream in crowd { _ = try await stream.collect() }
            await engine.shutdown()
            #expect(batched.tokens == alone.tokens)
            #expect(alone.tokens.count == 30)
            #expect(alone.tokens.last == 1)  // DeepSeek's end-of-sequence id
            #expect(!alone.tokens.dropLast().contains(1))
            #expect(alone.tokens.allSatisfy { $0 < 32_000 })
            #expect(alone.completion.reason == .stop)
            let reseeded = try await Self.tokens(of: request, plan: plan, mock: .init(seed: 10))
            #expect(reseeded.tokens != alone.tokens)
        }

        @Test func routedCountsFollowARealDeepSeekLoadProfile() async throws {
            let scenario = try EngineFixtures.shipped("default.yaml")
            let plan = try DeploymentPlan(scenario: scenario)
            let profile = try ExpertLoadFile.read(
                path: SharedData.packageFile("Simulations/expert-loads/decode_in1000out1000.json"),
                model: scenario.model)
            let backend = try MockMoEBackend(plan: plan, configuration: .init(seed: 4, expertLoad: .matrix(profile)))
            let engine = try ServingEngine(plan: plan, backend: backend)
            let streams = try await (0..<12).asyncMap { id in
                try await engine.submit(EngineFixtures.request(id, prompt: 1_000, output: 8))
            }
            for stream in streams { _ = try await stream.collect() }
            let routed = try #require(await engine.expertLoad(instance: 0))
            let other = try #require(await engine.expertLoad(instance: 1))
            await engine.shutdown()

            // Six requests per instance (round robin); every computed token position (prompt and all outputs but the last) is
            // routed to 8 distinct experts in each of the 58 MoE layers.
            let tokens = 6 * (1_000 + 8 - 1)
            #expect(routed.layers == 58 && routed.experts == 256)
            for layer in 0..<58 {
                let row = routed.matrix.row(layer)
                #expect(row.reduce(0, +) == Double(tokens * 8))
                #expect(correlation(Array(row), Array(profile.row(layer))) > 0.9)
            }
            #expect(other.matrix.row(0).reduce(0, +) == Double(tokens * 8))
        }

        @Test func deviceTimeIsTheStepTimeModelsScaledByTheTimeFactorAndASlowDeviceSlowsItsInstance() async throws {
            let plan = try DeploymentPlan(scenario: EngineFixtures.shipped("default.yaml"))
            let request = EngineFixtures.request(0, prompt: 800, output: 12)
            var simulated: [RequestRecord] = []
            var source = RequestList([request])
            _ = try ClusterSimulation(plan: plan, router: .roundRobin).run(&source, onRecord: { simulated.append($0) })
            let modelledE2E = try #require(simulated.first?.e2e)
            func run(_ faults: [DeviceFault]) async throws -> (busy: SimDuration, e2e: SimDuration, steps: Int) {
                let backend = try MockMoEBackend(
                    plan: plan, configuration: .init(seed: 1, timeFactor: 0.1, routesTokens: false, faults: faults))
                let engine = try ServingEngine(plan: plan, backend: backend)
                let result = try await engine.submit(request).collect()
                let instance = try #require(await engine.metrics().instances.first)
                await engine.shutdown()
                return (instance.deviceBusyTime, try #require(result.completion.record.e2e), instance.steps)
            }
            let normal = try await run([])
            // Each step's device time is its modelled duration x 0.1 (rounded to the nanosecond per step).
            #expect(abs(normal.busy.nanoseconds - modelledE2E.nanoseconds / 10) <= Int64(normal.steps))
            // The steps are paced: the request takes at least its device time on the wall clock.
            #expect(normal.e2e.seconds > 0.9 * normal.busy.seconds)
            let slow = try await run([DeviceFault(device: DeviceID(3), kind: .slows(by: 3))])
            #expect(abs(slow.busy.nanoseconds - 3 * normal.busy.nanoseconds) <= Int64(3 * normal.steps))
            #expect(slow.e2e.seconds > 2 * normal.busy.seconds)
        }

        @Test func aFailingDeviceFailsItsInstancesRequestsWithTheReasonWhileTheOtherInstanceServes() async throws {
            let scenario = try EngineFixtures.tinyScenario()
            let plan = try DeploymentPlan(scenario: scenario)
            let backend = try MockMoEBackend(
                plan: plan,
                configuration: .init(seed: 2, faults: [DeviceFault(device: DeviceID(1), kind: .fails(atStep: 3))]))
            let engine = try ServingEngine(plan: plan, backend: backend)
            // Six arrivals at once, alternating between the two instances.
            let requests = (0..<6).map { EngineFixtures.request($0, prompt: 100, output: 20) }
            let records = await engine.replay(requests, timeScale: 1)
            let failure = "colocated-0 stopped at step 3: dev1: injected failure at step 3"
            #expect(
                records.filter { $0.instance == 0 }.map(\.outcome)
                    == Array(repeating: .failed(reason: failure), count: 3))
            #expect(records.filter { $0.instance == 1 }.map(\.outcome) == Array(repeating: .completed, count: 3))
            #expect(records.filter { $0.instance == 1 }.allSatisfy { $0.outputTokens == 20 })
            // New requests go to the instance still serving.
            let later = try await engine.submit(EngineFixtures.request(10, prompt: 50, output: 5)).collect()
            #expect(later.completion.record.instance == 1 && later.completion.reason == .stop)
            let metrics = await engine.metrics()
            #expect(metrics.instances[0].failure == failure && metrics.instances[1].failure == nil)
            #expect(metrics.instances[0].kvBlocksFree == metrics.instances[0].kvBlocksTotal)
            #expect(metrics.requests.failed == 3)
            #expect(await engine.invariantViolations() == [])
            await engine.shutdown()
        }

        @Test func badKnobsAreRefusedNamingThem() throws {
            let plan = try DeploymentPlan(scenario: EngineFixtures.tinyScenario())
            #expect(throws: MockBackendError.invalid("timeFactor is -1.0; expected a finite number >= 0")) {
                try MockMoEBackend(plan: plan, configuration: .init(timeFactor: -1))
            }
            #expect(throws: MockBackendError.invalid("fault on dev9, but the deployment has devices dev0-dev3")) {
                try MockMoEBackend(
                    plan: plan,
                    configuration: .init(faults: [DeviceFault(device: DeviceID(9), kind: .fails(atStep: 0))]))
            }
            #expect(throws: MockBackendError.invalid("slowdown of dev0 is 0.5; expected a finite factor >= 1")) {
                try MockMoEBackend(
                    plan: plan, configuration: .init(faults: [DeviceFault(device: DeviceID(0), kind: .slows(by: 0.5))]))
            }
            let deepSeek = try ExpertLoadFile.read(
                path: SharedData.packageFile("Simulations/expert-loads/prefill_in1024.json"),
                model: EngineFixtures.shipped("default.yaml").model)
            #expect(
                throws: MockBackendError.invalid(
                    "expert-load matrix is 58 layers x 256 experts; tiny-moe has 3 MoE layers x 16 routed experts")
            ) {
                try MockMoEBackend(plan: plan, configuration: .init(expertLoad: .matrix(deepSeek)))
            }
            let starved = try ExpertLoadMatrix(rows: Array(repeating: [1] + Array(repeating: 0, count: 15), count: 3))
            #expect(
                throws: MockBackendError.invalid(
                    "expert-load matrix layer 0 has 1 experts with load; top-2 routing needs at least 2")
            ) {
                try MockMoEBackend(plan: plan, configuration: .init(expertLoad: .matrix(starved)))
            }
        }
    }
}

/// Pearson correlation of two equal-length series.
func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let meanX = x.reduce(0, +) / Double(x.count)
    let meanY = y.reduce(0, +) / Double(y.count)
    var covariance = 0.0
    var varianceX = 0.0
    var varianceY = 0.0
    for (a, b) in zip(x, y) {
        covariance += (a - meanX) * (b - meanY)
        varianceX += (a - meanX) * (a - meanX)
        varianceY += (b - meanY) * (b - meanY)
    }
    return covariance / (varianceX * varianceY).squareRoot()
}

extension Sequence where Element: Sendable {
    /// `map` with an async, throwing transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
