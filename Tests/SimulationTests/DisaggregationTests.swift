import Deployment
import MoECore
import Reports
import Simulation
import TestSupport
import Testing

/// Prefill and decode on separate instances, the KV cache crossing the network between them.
@Suite struct DisaggregationTests {
    @Test func disaggregationLowersTPOTVarianceAtEqualLoad() throws {
        let colocated = try simulate(try shippedScenario("default.yaml"))
        let disaggregated = try simulate(try disaggregatedDefault())
        expectConservation(colocated)
        expectConservation(disaggregated)
        let mixed = try #require(colocated.report.metrics.tpot.standardDeviation).seconds
        let separate = try #require(disaggregated.report.metrics.tpot.standardDeviation).seconds
        print("TPOT std colocated \(mixed * 1e3) ms, disaggregated \(separate * 1e3) ms")
        // Prefill chunks share colocated steps with decode tokens; a decode instance runs decode steps only.
        #expect(separate < mixed * 0.5, "TPOT std colocated \(mixed) s, disaggregated \(separate) s")
        #expect(disaggregated.report.metrics.completed == colocated.report.metrics.completed)
        let transfers = try #require(disaggregated.report.dynamics?.transfers)
        let multiToken = disaggregated.records.filter { $0.outcome == .completed && $0.outputTokens > 1 }
        #expect(transfers.count == multiToken.count)
    }

    @Test func theKVCacheMovesPromptTokensTimesKVBytesOverTheNICs() throws {
        var scenario = try disaggregatedDefault()
        scenario.workload.limit = 1
        let run = try simulate(scenario)
        expectConservation(run)
        let record = try #require(run.records.first)
        let transfers = try #require(run.report.dynamics?.transfers)
        let bytes = Int64(record.promptTokens) * scenario.model.kvBytesPerToken(format: .bf16).count
        #expect(transfers.count == 1 && transfers.bytes == bytes)
        // Prefill on nodes 0-1, decode on nodes 2-3: one 400 Gb/s NIC each side, then the fabric and NIC latency.
        let expected = Double(bytes) / 50e9 + 6e-6
        #expect(abs(transfers.longestSeconds - expected) < 1e-6, "\(transfers.longestSeconds) s, expected \(expected)")
    }

    @Test func theShippedDisaggregatedScenarioRunsDeepSeeksLayout() throws {
        var scenario = try shippedScenario("deepseek-v3-h800-disaggregated.yaml")
        scenario.workload.limit = 300
        let run = try simulate(scenario)
        expectConservation(run)
        let report = run.report
        #expect(report.metrics.completed == 300)
        #expect(report.context.prefillNodes == 12 && report.context.decodeNodes == 18)
        let activity = report.instanceActivity
        // Each of the three EP32 prefill units takes a share; the EP144 decode unit takes every request.
        #expect(activity.prefix(3).allSatisfy { $0.completed > 50 }, "\(activity.map(\.completed))")
        #expect(activity[3].completed == 300)
    }

    @Test func ascendPrefillFeedsH800DecodeAcrossPools() throws {
        let directory = try TemporaryDirectory()
        let mixed = try scenario(
            yaml: """
                name: heterogeneous
                model: deepseek-v3
                cluster:
                  host: hgx-h800
                  nodes: 2
                  pools:
                    - {name: ascend, host: atlas-800t-a2, nodes: 4}
                deployment:
                  instances:
                    - {role: prefill, pool: ascend, count: 1, devices_per_instance: 32, ep: 32, redundant_experts: 32,
                       weights: int8, micro_batches: 2}
                    - {role: decode, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 16, weights: fp8,
                       micro_batches: 2}
                workload:
                  generator: {kind: poisson, rate: 4, lengths: {input_tokens: 3000, output_tokens: 200}}
                  limit: 40
                """, in: directory)
        #expect(mixed.pools.map(\.device.key) == ["h800", "ascend-910b"])
        let run = try simulate(mixed)
        expectConservation(run)
        #expect(run.report.metrics.completed == 40)
        #expect(run.report.context.device == "h800+ascend-910b")
        // A 200GE RoCE port on the Ascend side is the bottleneck of every transfer.
        let transfers = try #require(run.report.dynamics?.transfers)
        let slowest = 3000 * 70_272 / 25e9
        #expect(transfers.longestSeconds >= slowest && transfers.count == 40)
        // Allocation cost pays for both pools' devices at their own prices.
        let capacity = try #require(run.report.cost?.capacity)
        #expect(capacity.pools.map(\.devices) == [16, 32])
    }

    @Test func aPoolThatDoesNotExistIsNamedInTheError() throws {
        let directory = try TemporaryDirectory()
        #expect {
            try scenario(
                yaml: """
                    name: bad
                    model: deepseek-v3
                    cluster: {host: hgx-h800, nodes: 2}
                    deployment:
                      instances:
                        - {role: prefill, pool: ascend, count: 1, devices_per_instance: 8}
                        - {role: decode, count: 1, devices_per_instance: 8}
                    workload: {trace: "{slice}"}
                    """, in: directory)
        } throws: { error in
            guard let error = error as? InputFileError else { return false }
            return error.keyPath == "deployment.instances[0].pool" && error.message.contains("known pools: main")
        }
    }
}
