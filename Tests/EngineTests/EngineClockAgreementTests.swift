import Deployment
import Engine
import Foundation
import MoECore
import Simulation
import TestSupport
import Testing
import Workload

extension EngineLoadTests {
    /// One scheduler core, two clocks: the same trace through the simulator (virtual clock) and through the
    /// engine (wall clock, mock backend at a small time factor) gives the same latencies request by request,
    /// up to the engine's own overhead per step, which is measured and printed.
    @Suite struct EngineClockAgreementTests {
        /// The first `count` requests of the shipped Azure conversation slice (real arrivals and lengths).
        static func azureSlice(count: Int) throws -> [RequestSpec] {
            var reader = try TraceFormat.open(
                path: SharedData.packageFile("Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv"))
            var requests: [RequestSpec] = []
            while requests.count < count, let request = try reader.next() { requests.append(request) }
            return requests
        }

        /// Per request, TTFT and TPOT served by the engine are within 5% of the simulator's (median over
        /// requests of the relative difference), and so are their means.
        @Test func servedLatenciesAgreeWithTheSimulatorRequestByRequest() async throws {
            let plan = try DeploymentPlan(scenario: EngineFixtures.shipped("default.yaml"))
            let requests = try Self.azureSlice(count: 48)
            var simulated: [RequestRecord] = []
            var source = RequestList(requests)
            _ = try ClusterSimulation(plan: plan, router: .roundRobin).run(&source, onRecord: { simulated.append($0) })
            // Half of real time keeps the run near twenty seconds and a wake-up's jitter small against a step;
            // `MOESERVE_CLOCK_TEST_TIME_FACTOR` sets another factor. `make test` runs this test on its own,
            // after the rest of the suite, whose parallel tests would otherwise take its CPU. Routing is off: in a debug build the gating work of a 2,048-token prefill chunk
            // outlasts its scaled device time, which would be overhead too.
            let setting = ProcessInfo.processInfo.environment["MOESERVE_CLOCK_TEST_TIME_FACTOR"] ?? "0.5"
            let timeFactor = try #require(
                Double(setting), "MOESERVE_CLOCK_TEST_TIME_FACTOR '\(setting)' is not a number")
            let backend = try MockMoEBackend(
                plan: plan, configuration: .init(seed: 1, timeFactor: timeFactor, routesTokens: false))
            let engine = try ServingEngine(plan: plan, backend: backend)
            let served = await engine.replay(requests, timeScale: timeFactor)
            let metrics = await engine.metrics()
            await engine.shutdown()

            let expected = Dictionary(uniqueKeysWithValues: simulated.map { ($0.id, $0) })
            let pairs = served.compactMap { record in expected[record.id].map { (record, $0) } }
            #expect(pairs.count == requests.count)
            #expect(served.allSatisfy { $0.outcome == .completed })
            #expect(simulated.allSatisfy { $0.outcome == .completed })
            let ttft = Comparison(served: pairs.map(\.0), expected: pairs.map(\.1), \.ttft)
            let tpot = Comparison(served: pairs.map(\.0), expected: pairs.map(\.1), \.tpot)
            let hostGap = (metrics.schedulingTime.quantile(0.5) ?? 0) * 1e6
            let exposed = (metrics.stepOverhead.quantile(0.99) ?? 0) * 1e6
            print(
                "clock agreement at time factor \(timeFactor): TTFT per request \(percent(ttft.perRequest)), mean "
                    + "\(percent(ttft.ofMeans)), median \(percent(ttft.ofMedians)); TPOT per request "
                    + "\(percent(tpot.perRequest)), mean \(percent(tpot.ofMeans)), median \(percent(tpot.ofMedians)); "
                    + "engine host time between steps p50 \(Int(hostGap)) µs (hidden by the back-to-back device), "
                    + "exposed overhead p99 \(Int(exposed)) µs, over \(metrics.steps) steps")
            #expect(ttft.perRequest < 0.05)
            #expect(tpot.perRequest < 0.05)
            #expect(ttft.ofMeans < 0.05)
            #expect(tpot.ofMeans < 0.05)
        }

        /// Relative differences between served and expected values of one latency.
        struct Comparison {
            /// |mean served - mean expected| / mean expected.
            let ofMeans: Double
            /// |median served - median expected| / median expected.
            let ofMedians: Double
            /// The median over requests of |served - expected| / expected.
            let perRequest: Double

            init(served: [RequestRecord], expected: [RequestRecord], _ value: (RequestRecord) -> SimDuration?) {
                let pairs = zip(served, expected).compactMap { served, expected -> (Double, Double)? in
                    guard let measured = value(served), let reference = value(expected), reference > .zero else {
                        return nil
                    }
                    return (measured.seconds, reference.seconds)
                }
                func relative(_ measured: Double, _ reference: Double) -> Double {
                    abs(measured - reference) / reference
                }
                ofMeans = relative(pairs.map(\.0).reduce(0, +), pairs.map(\.1).reduce(0, +))
                ofMedians = relative(Self.median(pairs.map(\.0)), Self.median(pairs.map(\.1)))
                perRequest = Self.median(pairs.map { relative($0.0, $0.1) })
            }

            static func median(_ values: [Double]) -> Double {
                let sorted = values.sorted()
                return sorted.isEmpty ? .infinity : sorted[sorted.count / 2]
            }
        }

        private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    }
}
