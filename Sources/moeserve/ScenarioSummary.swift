import Deployment
import Foundation
import MoECore
import Reports

/// The human-readable description of a resolved scenario that `moeserve validate` prints.
struct ScenarioSummary {
    let plan: DeploymentPlan
    var scenario: Scenario { plan.scenario }

    init(_ plan: DeploymentPlan) { self.plan = plan }

    var text: String {
        [header, instanceTable.render(), scheduler, workload, dynamics, objectives, prices].joined(separator: "\n")
    }

    private var header: String {
        let model = scenario.model
        let device = scenario.device
        var experts = "dense"
        if let moe = model.moe {
            experts = "\(moe.routedExperts) routed experts (top-\(moe.expertsPerToken)) + \(moe.sharedExperts) shared"
        }
        return """
            Scenario '\(scenario.name)' (seed \(scenario.seed)), from \(scenario.file)
            Model:    \(model.key) (\(model.name)): \(Figures.billions(model.totalParameters)) parameters, \
            \(Figures.billions(model.activeParameters)) active, \(model.attention.kindName), \(experts)
            \(clusterLines)
            Device:   \(device.name): \(device.memory) HBM, \(device.memoryBandwidth), \
            $\(Figures.fixed(device.pricePerHour.amount, 2))/h
            Deployment: \(scenario.deployedDevices) of \(scenario.clusterDevices) devices
            """
    }

    /// One line per host pool: its hosts, devices and fabric.
    private var clusterLines: String {
        scenario.pools.enumerated().map { index, pool in
            let label = index == 0 ? "Cluster:  " : "  pool '\(pool.name)': "
            return "\(label)\(pool.cluster.hosts) x \(pool.host.key) (\(pool.host.name)) = \(pool.devices) x "
                + "\(pool.device.key), \(pool.cluster.fabric.kind.rawValue) fabric "
                + "(\(Figures.fixed(pool.cluster.fabric.latency.microseconds)) us)"
        }.joined(separator: "\n")
    }

    /// Routers, the shared context cache, autoscaled groups, re-balancing and faults.
    private var dynamics: String {
        var parts = [
            scenario.isDisaggregated
                ? "routers \(scenario.router.rawValue) (prefill) and \(scenario.decodeRouter.rawValue) (decode)"
                : "router \(scenario.router.rawValue)"
        ]
        if let cache = scenario.contextCache {
            parts.append(
                "shared context cache \(cache.capacity) at \(cache.loadBandwidthPerNode) per node"
                    + (cache.timeToLive.map { ", kept \(Figures.fixed($0.seconds / 3600, 1)) h unused" } ?? ""))
        }
        let autoscaled = scenario.deployment.indices.filter { scenario.deployment[$0].autoscale != nil }
        if !autoscaled.isEmpty {
            parts.append("autoscaled groups \(autoscaled.map(String.init).joined(separator: ", "))")
        }
        if let rebalancing = scenario.rebalancing {
            parts.append("expert re-balancing every \(Figures.fixed(rebalancing.interval.seconds / 60, 1)) min")
        }
        if !scenario.faults.isEmpty { parts.append("\(scenario.faults.events.count) scheduled faults") }
        return "Dynamics: " + parts.joined(separator: "; ")
    }

    private var instanceTable: TextTable {
        var table = TextTable(
            [
                "group", "role", "pool", "count", "devices", "DP", "TP", "EP", "redundant", "weights", "KV",
                "micro-batches", "MTP", "experts/dev", "weights/dev", "KV cache/dev", "KV tokens/dev",
            ], numeric: [0, 3, 4, 5, 6, 7, 8, 11, 13, 14, 15, 16])
        for (index, group) in scenario.deployment.enumerated() {
            guard let instance = plan.instances.first(where: { $0.group == index }) else { continue }
            let memory = instance.stepTimeModel.memory
            let experts = scenario.model.moe == nil ? 0 : instance.stepTimeModel.configuration.slotsPerDevice
            table.append([
                String(index), group.role.rawValue, scenario.pools[group.pool].name, String(group.count),
                String(group.devicesPerInstance),
                String(group.attentionDP), String(group.attentionTP), String(group.ep), String(group.redundantExperts),
                group.weights.rawValue, group.kvCache.rawValue, String(group.microBatches),
                group.mtpAcceptance.map { Figures.fixed($0, 2) } ?? "off", String(experts),
                memory.weightBytesPerDevice.description, memory.kvBytesPerDevice.description,
                String(memory.kvCapacityTokensPerDevice),
            ])
        }
        return table
    }

    private var scheduler: String {
        let knobs = scenario.scheduler
        return """
            Scheduler (per data-parallel rank): \(knobs.policy.rawValue), max \(knobs.maxNumBatchedTokens) tokens \
            and \(knobs.maxNumSeqs) sequences per batch, chunked prefill \(knobs.chunkedPrefill ? "on" : "off")\
            \(knobs.longPrefillThreshold > 0 ? " (long prompts over \(knobs.longPrefillThreshold) tokens)" : ""), \
            block \(knobs.blockSize) tokens, prefix caching \(knobs.prefixCaching ? "on" : "off"), \
            admission \(knobs.admission.rawValue), admission control \(knobs.admissionControl.rawValue), \
            preemption \(knobs.preemption.rawValue), max waiting \(knobs.maxWaiting)
            """
    }

    private var workload: String {
        let workload = scenario.workload
        var text: String
        switch workload.source {
        case .trace(let path):
            text = "Workload: trace \(path)" + (FileManager.default.fileExists(atPath: path) ? "" : " (not found yet)")
        case .generator(let generator):
            text = "Workload: \(generator.kind.rawValue) arrivals at \(Figures.fixed(generator.rate, 2)) req/s"
            if let cv = generator.cv { text += ", cv \(Figures.fixed(cv, 2))" }
            if let amplitude = generator.amplitude, let period = generator.period {
                text += ", amplitude \(Figures.fixed(amplitude, 2)) over \(Figures.fixed(period.seconds, 0)) s"
            }
            switch generator.lengths {
            case .table(let path): text += ", lengths from \(path)"
            case .fixed(let input, let output): text += ", \(input) input / \(output) output tokens"
            }
        }
        if let duration = workload.duration { text += ", for \(Figures.fixed(duration.seconds, 0)) s" }
        if let limit = workload.limit { text += ", at most \(limit) requests" }
        if workload.timeScale != 1 { text += ", time x\(Figures.fixed(workload.timeScale, 2))" }
        if workload.rateScale != 1 { text += ", rate x\(Figures.fixed(workload.rateScale, 2))" }
        switch scenario.expertLoad {
        case .balanced: text += "\nExpert load: balanced"
        case .file(let path): text += "\nExpert load: \(path)"
        }
        return text
    }

    private var objectives: String {
        let ttft = scenario.slo.ttft.map { "TTFT \(Figures.fixed($0.milliseconds, 0)) ms" } ?? "no TTFT objective"
        let tpot = scenario.slo.tpot.map { "TPOT \(Figures.fixed($0.milliseconds, 0)) ms" } ?? "no TPOT objective"
        return "SLO: \(ttft), \(tpot)"
    }

    private var prices: String {
        let hourly = scenario.pools.reduce(0) { $0 + Double($1.devices) * $1.device.pricePerHour.amount }
        var lines = ["Cost: $\(Figures.fixed(hourly, 2)) per hour for the cluster"]
        for quote in scenario.prices.compare {
            lines.append(
                "Compare: \(quote.name): $\(Figures.fixed(quote.inputPerMillionTokens.amount, 3)) in / "
                    + "$\(Figures.fixed(quote.outputPerMillionTokens.amount, 3)) out per million tokens")
        }
        return lines.joined(separator: "\n")
    }
}
