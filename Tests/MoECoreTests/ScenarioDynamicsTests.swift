import Foundation
import TestSupport
import Testing

@testable import MoECore

/// The scenario keys of the cluster's dynamics: pools, routers, the context cache, host KV tiers,
/// autoscaling, re-balancing and faults.
@Suite struct ScenarioDynamicsTests {
    /// A disaggregated DeepSeek-V3 scenario on four H800 nodes; `{extra}` is appended at the top level and
    /// `{group}` inside the decode group.
    private static let template = """
        name: dynamics
        model: deepseek-v3
        cluster: {host: hgx-h800, nodes: 4}
        deployment:
          instances:
            - {role: prefill, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 16}
            - role: decode
              count: 1
              devices_per_instance: 16
              ep: 16
              redundant_experts: 16
        {group}
        workload: {trace: t.jsonl}
        {extra}
        """

    private func load(extra: String = "", group: String = "") throws -> Scenario {
        let directory = try TemporaryDirectory()
        let text = Self.template.replacingOccurrences(of: "{extra}", with: extra)
            .replacingOccurrences(of: "{group}", with: group)
        return try Scenario.load(file: directory.write("s.yaml", text))
    }

    private func error(extra: String = "", group: String = "") -> InputFileError? {
        #expect(throws: InputFileError.self) { try load(extra: extra, group: group) }
    }

    @Test func everyKeyIsReadWithItsUnits() throws {
        let scenario = try load(
            extra: """
                router: cache_aware
                decode_router: decode_balance
                context_cache: {capacity_tb: 50, load_gb_per_s: 20, ttl_h: 12}
                expert_rebalancing: {interval_min: 5, max_moves: 128}
                faults:
                  events: [{at_s: 60, node: 1, repair_s: 600}, {at_s: 90, nic: 7}]
                  device_mtbf_h: 50000
                  restart_s: 120
                """,
            group: """
                      host_kv_cache: {capacity_gb: 512}
                      autoscale: {min_instances: 1, target_kv_usage: 0.8, interval_s: 15, warmup_s: 90}
                """)
        #expect(scenario.router == .cacheAware && scenario.decodeRouter == .decodeBalance)
        #expect(scenario.contextCache?.capacity == Bytes(50_000_000_000_000))
        #expect(scenario.contextCache?.loadBandwidthPerNode == .gigabytesPerSecond(20))
        #expect(scenario.contextCache?.timeToLive == .seconds(12 * 3600))
        #expect(scenario.rebalancing == ScenarioRebalancing(interval: .seconds(300), maximumMoves: 128))
        #expect(scenario.faults.events.map(\.target) == [.node(1), .nic(device: 7)])
        #expect(scenario.faults.events.map(\.repair) == [.seconds(600), nil])
        #expect(scenario.faults.deviceMTBF == .seconds(50_000 * 3600) && scenario.faults.restart == .seconds(120))
        let decode = scenario.deployment[1]
        #expect(decode.hostKVCache == ScenarioHostCache(capacity: .gigabytes(512)))
        #expect(decode.autoscale?.warmUp == .seconds(90))
        guard case .load(let targets) = decode.autoscale?.policy else {
            Issue.record("expected load targets")
            return
        }
        #expect(targets.kvUsage == 0.8 && targets.interval == .seconds(15) && targets.queueDelay == nil)
    }

    @Test func disaggregatedDeploymentsDefaultToDeepSeeksBalancers() throws {
        let scenario = try load()
        #expect(scenario.router == .prefillBalance && scenario.decodeRouter == .decodeBalance)
        #expect(scenario.contextCache == nil && scenario.rebalancing == nil && scenario.faults.isEmpty)
        #expect(ScenarioContextCache.defaultLoadBandwidthPerNode.bytesPerSecond == 40 * 1_073_741_824)
    }

    @Test(arguments: [
        ("context_cache: {load_gb_per_s: 20}", "context_cache.capacity_tb", "missing required key"),
        ("context_cache: {capacity_tb: -1}", "context_cache.capacity_tb", "expected a positive number"),
        ("context_cache: {capacity_tb: 1, size: 2}", "context_cache.size", "unknown key 'size'"),
        ("decode_router: fastest", "decode_router", "expected one of round_robin"),
        ("expert_rebalancing: {interval_min: 0}", "expert_rebalancing.interval_min", "expected a positive number"),
        ("faults: {events: [{at_s: 5, node: 1, device: 3}]}", "faults.events[0]", "exactly one of node, device or nic"),
        ("faults: {events: [{at_s: 5, device: 32}]}", "faults.events[0].device", "expected an integer from 0 to 31"),
        ("faults: {events: [{at_s: 9, node: 0}, {at_s: 5, node: 1}]}", "faults.events[1].at_s", "at or after"),
        ("faults: {node_mtbf_h: 0}", "faults.node_mtbf_h", "expected a positive number"),
    ])
    func aBadTopLevelKeyIsNamedWithItsPath(extra: String, keyPath: String, message: String) {
        let error = error(extra: extra)
        #expect(error?.keyPath == keyPath)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("      host_kv_cache: {capacity_gb: 5000}", "deployment.instances[1].host_kv_cache", "exceeds"),
        (
            "      autoscale: {min_instances: 2, target_kv_usage: 0.5}",
            "deployment.instances[1].autoscale.min_instances",
            "from 1 to 1"
        ),
        ("      autoscale: {target_kv_usage: 0}", "deployment.instances[1].autoscale.target_kv_usage", "above 0"),
        (
            "      autoscale: {schedule: [{at_h: 0, instances: 1}, {at_h: 25, instances: 1}]}",
            "deployment.instances[1].autoscale.schedule[1].at_h", "within the period"
        ),
        ("      pool: nowhere", "deployment.instances[1].pool", "unknown pool 'nowhere'"),
    ])
    func aBadGroupKeyIsNamedWithItsPath(group: String, keyPath: String, message: String) {
        let error = error(group: group)
        #expect(error?.keyPath == keyPath)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func aDecodeRouterNeedsADisaggregatedDeployment() throws {
        let directory = try TemporaryDirectory()
        let text = """
            name: colocated
            model: deepseek-v3
            cluster: {host: hgx-h800, nodes: 2}
            deployment: {instances: [{role: colocated, count: 1, devices_per_instance: 16}]}
            workload: {trace: t.jsonl}
            decode_router: decode_balance
            """
        let error = #expect(throws: InputFileError.self) { try Scenario.load(file: directory.write("s.yaml", text)) }
        #expect(error?.keyPath == "decode_router")
    }

    @Test func poolsAddHostsOfAnotherKindWithTheirOwnPricesAndLimits() throws {
        let directory = try TemporaryDirectory()
        let text = """
            name: pools
            model: deepseek-v3
            cluster:
              host: hgx-h800
              nodes: 2
              pools: [{name: ascend, host: atlas-800t-a2, nodes: 2, fabric: {kind: roce, latency_us: 8}}]
            deployment:
              instances:
                - {role: prefill, pool: ascend, count: 2, devices_per_instance: 16, weights: int8}
                - {role: decode, count: 1, devices_per_instance: 16}
            workload: {trace: t.jsonl}
            prices: {devices: {ascend-910b: 1.1}}
            faults: {events: [{at_s: 1, node: 3}]}
            """
        let error = #expect(throws: InputFileError.self) { try Scenario.load(file: directory.write("s.yaml", text)) }
        #expect(error?.message.contains("the instances on pool 'ascend' use 32 devices but the pool has 16") == true)
        #expect(error?.message.contains("cluster.pools[0].nodes") == true)
        let fitting = text.replacingOccurrences(
            of: "count: 2, devices_per_instance: 16, weights", with: "count: 1, devices_per_instance: 16, weights")
        let scenario = try Scenario.load(file: directory.write("t.yaml", fitting))
        #expect(scenario.pools.map(\.name) == ["main", "ascend"])
        #expect(scenario.pools[1].device.pricePerHour == Dollars(1.1))
        #expect(scenario.pools[1].cluster.fabric == FabricSpec(kind: .roce, latency: .microseconds(8)))
        #expect(scenario.clusterDevices == 32 && scenario.clusterNodes == 4 && scenario.deployment[0].pool == 1)
    }
}

@Suite struct ScenarioDocumentationTests {
    @Test func theFullExampleInScenariosMdIsTheDefaultScenarioFile() throws {
        let page = try String(contentsOfFile: SharedData.packageFile("Docs/Scenarios.md"), encoding: .utf8)
        let file = try String(contentsOfFile: SharedData.packageFile("Simulations/default.yaml"), encoding: .utf8)
        let marker = "`Simulations/default.yaml`, the scenario `make run` and the docs refer to:\n\n```yaml\n"
        let start = try #require(page.range(of: marker)).upperBound
        let end = try #require(page.range(of: "```", range: start..<page.endIndex)).lowerBound
        #expect(String(page[start..<end]) == file)
        #expect(try Scenario.load(file: SharedData.packageFile("Simulations/default.yaml")).contextCache != nil)
    }
}
