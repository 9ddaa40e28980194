import Foundation
import MoECore
import Placement
import Reports

/// What `moeserve plan` prints: the plan ("after") next to what it replaces ("before": the previous
/// placement, or no replication), as a summary table or as JSON.
struct PlanReport {
    let request: PlacementRequest
    let planner: PlacementPlanner
    /// The algorithm's name, or `evaluated` for a saved placement.
    let algorithm: String
    let before: PlacementPlan
    let beforeName: String
    let after: PlacementPlan

    /// The JSON object `moeserve plan --json` prints (keys sorted, so output is byte-identical per input).
    func json() -> String {
        var object = Self.metricsObject(after.metrics)
        let migration = after.migration
        object["experts_moved"] = migration?.expertsMoved ?? 0
        object["migration_bytes"] = migration?.bytes.count ?? 0
        object["migration_nic_bytes"] = migration?.nicBytes.count ?? 0
        object["migration_time_ms"] = migration?.time.milliseconds ?? 0
        object["placement"] = after.placement.documentObject
        object["before"] = Self.metricsObject(before.metrics).merging(["name": beforeName]) { $1 }
        object["algorithm"] = algorithm
        object["model"] = request.model.key
        object["cluster"] = request.topology.cluster.key
        object["devices"] = request.devices
        object["device_offset"] = request.deviceOffset
        object["nodes"] = planner.instance.nodes
        object["slots_per_device"] = request.slotsPerDevice
        object["phase"] = request.phase.rawValue
        object["tokens_per_device"] = request.tokensPerDevice
        object["weight_format"] = request.weightFormat.rawValue
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func metricsObject(_ metrics: PlacementMetrics) -> [String: Any] {
        [
            "balancedness": metrics.balancedness, "layer_balancedness": metrics.layerBalancedness,
            "moe_layer_time_ms": metrics.moeLayerTime.milliseconds,
            "moe_time_per_step_ms": metrics.moeTimePerStep.milliseconds, "nic_bytes": metrics.nicBytes.count,
            "scale_up_bytes": metrics.scaleUpBytes.count, "inter_socket_bytes": metrics.interSocketBytes.count,
            "remote_nodes_per_token": metrics.remoteNodesPerToken,
            "remote_copies_per_token": metrics.remoteCopiesPerToken,
            "weight_bytes_per_device": metrics.weightBytesPerDevice.count,
        ]
    }

    /// A readable summary: the instance, then one row per metric, before and after.
    func summary() -> String {
        let r = request
        let node = planner.instance
        let header =
            "\(r.model.name) on \(r.devices) x \(r.topology.device.name) (devices \(r.deviceOffset)..<"
            + "\(r.deviceOffset + r.devices) of \(r.topology.cluster.key), \(node.nodes) node(s)), "
            + "\(r.slotsPerDevice) expert slots per device, \(r.phase.rawValue) step of "
            + "\(Figures.fixed(r.tokensPerDevice, 0)) tokens per device, weights \(r.weightFormat)"
        var table = TextTable(["metric", beforeName, algorithm], numeric: [1, 2])
        func row(_ name: String, _ value: (PlacementMetrics) -> String) {
            table.append([name, value(before.metrics), value(after.metrics)])
        }
        row("balancedness (mean/max device load)") { Figures.fixed($0.balancedness, 4) }
        row("worst layer balancedness") { Figures.fixed($0.layerBalancedness.min() ?? 1, 4) }
        row("MoE layer time, ms (routed experts)") { Figures.fixed($0.moeLayerTime.milliseconds, 3) }
        row("routed-expert time per step, ms") { Figures.fixed($0.moeTimePerStep.milliseconds, 2) }
        row("NIC GB per step") { Figures.fixed($0.nicBytes.gigabytes, 3) }
        row("scale-up GB per step") { Figures.fixed($0.scaleUpBytes.gigabytes, 3) }
        row("inter-socket GB per step") { Figures.fixed($0.interSocketBytes.gigabytes, 3) }
        row("remote nodes per token") { Figures.fixed($0.remoteNodesPerToken, 3) }
        row("remote copies per token") { Figures.fixed($0.remoteCopiesPerToken, 3) }
        row("weights per device, GB") { Figures.fixed($0.weightBytesPerDevice.gigabytes, 2) }
        var lines = [header, table.render()]
        if let migration = after.migration {
            lines.append(
                "moved \(migration.expertsMoved) expert copies from the previous placement: "
                    + "\(Figures.fixed(migration.bytes.gigabytes, 2)) GB (\(Figures.fixed(migration.nicBytes.gigabytes, 2)) "
                    + "GB across nodes), \(Figures.fixed(migration.time.milliseconds, 1)) ms at link speed")
        }
        return lines.joined(separator: "\n")
    }
}
