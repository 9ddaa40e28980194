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
        [header, instanceTable.render(), scheduler, workload, objectives, prices].joined(separator: "\n")
    }

    private var header: String {
        let model = scenario.model
        let device = scenario.device
        let host = scenario.host
        var experts = "dense"
        if let moe = model.moe {
            experts = "\(moe.routedExperts) routed experts (top-\(moe.expertsPerToken)) + \(moe.sharedExperts) shared"
        }
        return """
            Scenario '\(scenario.name)' (seed \(scenario.seed)), from \(scenario.file)
            Model:    \(model.key) (\(model.name)): \(Figures.billions(model.totalParameters)) parameters, \
            \(Figures.billions(model.activeParameters)) active, \(model.attention.kindName), \(experts)
            Cluster:  \(scenario.cluster.hosts) x \(host.key) (\(host.name)) = \(scenario.clusterDevices) x \
            \(device.key), \(scenario.cluster.fabric.kind.rawValue) fabric \
            (\(Figures.fixed(scenario.cluster.fabric.latency.microseconds)) us)
            Device:   \(device.name): \(device.memory) HBM, \(device.memoryBandwidth), \
            $\(Figures.fixed(device.pricePerHour.amount, 2))/h
            Deployment: \(scenario.deployedDevices) of \(scenario.clusterDevices) devices
            """
    }

    private var instanceTable: TextTable {
        var table = TextTable(
            [
                "group", "role", "count", "devices", "DP", "TP", "EP", "redundant", "weights", "KV", "micro-batches",
                "MTP", "experts/dev", "weights/dev", "KV cache/dev", "KV tokens/dev",
            ], numeric: [0, 2, 3, 4, 5, 6, 7, 10, 12, 13, 14, 15])
        for (index, group) in scenario.deployment.enumerated() {
            guard let instance = plan.instances.first(where: { $0.group == index }) else { continue }
            let memory = instance.stepTimeModel.memory
            let experts = scenario.model.moe == nil ? 0 : instance.stepTimeModel.configuration.slotsPerDevice
            table.append([
                String(index), group.role.rawValue, String(group.count), String(group.devicesPerInstance),
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
        let hourly = Double(scenario.clusterDevices) * scenario.device.pricePerHour.amount
        var lines = ["Cost: $\(Figures.fixed(hourly, 2)) per hour for the cluster"]
        for quote in scenario.prices.compare {
            lines.append(
                "Compare: \(quote.name): $\(Figures.fixed(quote.inputPerMillionTokens.amount, 3)) in / "
                    + "$\(Figures.fixed(quote.outputPerMillionTokens.amount, 3)) out per million tokens")
        }
        return lines.joined(separator: "\n")
    }
}
