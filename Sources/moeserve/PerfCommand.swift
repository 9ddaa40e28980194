import ArgumentParser
import Foundation
import MoECore
import PerfModel
import Topology

/// `moeserve perf`: one steady-state step-time question answered from the command line.
struct PerfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Step time, throughput and memory of one instance in steady prefill or decode.",
        discussion: """
            Examples:
              moeserve perf --model deepseek-v3 --device h800 --phase decode --devices 144 --ep 144 \\
                --redundant-experts 32 --batch-per-device 128 --context 4096 --mtp-acceptance 0.8 --json
              moeserve perf --model deepseek-v3 --device h800 --phase prefill --devices 32 --ep 32 \\
                --tokens-per-device 16384 --prompt 4096
            """)

    @Option(help: "Model catalog key.") var model = "deepseek-v3"
    @Option(help: "Device catalog key (h800, h100, h200, h20, ascend-910c, ...).") var device = "h800"
    @Option(help: "prefill or decode.") var phase: SteadyStateQuestion.Phase = .decode
    @Option(help: "Devices in the instance.") var devices: Int
    @Option(help: "Expert-parallel degree (default: all devices).") var ep: Int?
    @Option(help: "Attention tensor-parallel degree (attention data-parallel = devices / this).")
    var attentionTp = 1
    @Option(help: "Redundant expert slots spread over the expert-parallel group.") var redundantExperts = 0
    @Option(help: "Decode: sequences per device.") var batchPerDevice: Double?
    @Option(help: "Decode: context length of every sequence.") var context: Double?
    @Option(help: "Prefill: new tokens per device per step.") var tokensPerDevice: Double?
    @Option(help: "Prefill: prompt length.") var prompt: Double?
    @Option(help: "Weight format: fp8, int8, bf16 or int4 (default: the model's own).") var weights: NumericFormat?
    @Option(help: "KV-cache format: bf16, fp8 or int8.") var kv: NumericFormat = .bf16
    @Option(help: "Micro-batches per step: 1, or 2 to overlap communication with compute.") var microBatches = 2
    @Option(help: "MTP draft acceptance rate (MTP off when absent).") var mtpAcceptance: Double?
    @Option(help: "Expert load: balanced, or an SGLang expert-distribution JSON file.") var expertLoad = "balanced"
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        guard devices > 0 else { throw ValidationError("--devices must be at least 1, got \(devices)") }
        for (name, value) in [
            ("--batch-per-device", batchPerDevice), ("--context", context), ("--tokens-per-device", tokensPerDevice),
            ("--prompt", prompt),
        ] {
            if let value, !(value.isFinite && value >= 0) {
                throw ValidationError("\(name) must be a finite non-negative number, got \(value)")
            }
        }
        if let mtpAcceptance, !(0...1).contains(mtpAcceptance) {
            throw ValidationError("--mtp-acceptance must be a rate in 0...1, got \(mtpAcceptance)")
        }
    }

    func run() throws {
        let catalog = Catalog.builtin
        guard let modelSpec = catalog.model(model) else {
            throw ValidationError(
                "unknown model '\(model)'; known: \(catalog.models.map(\.key).joined(separator: ", "))")
        }
        guard let deviceSpec = catalog.device(device) else {
            throw ValidationError(
                "unknown device '\(device)'; known: \(catalog.devices.map(\.key).joined(separator: ", "))")
        }
        let load = expertLoad == "balanced" ? nil : try ExpertLoadFile.read(path: expertLoad, model: modelSpec)
        let topology = try ClusterTopology.smallest(holding: devices, of: deviceSpec, catalog: catalog)
        let instance = InstanceConfiguration(
            model: modelSpec, topology: topology, devices: devices, attentionTP: attentionTp, expertParallel: ep,
            redundantExperts: redundantExperts, weightFormat: weights, kvFormat: kv, microBatches: microBatches,
            mtpAcceptance: mtpAcceptance, expertLoad: load)
        let question: SteadyStateQuestion
        switch phase {
        case .decode:
            guard let batchPerDevice, let context else {
                throw ValidationError("--phase decode needs --batch-per-device and --context")
            }
            question = .decode(instance, batchPerDevice: batchPerDevice, contextTokens: context)
        case .prefill:
            guard let tokensPerDevice, let prompt else {
                throw ValidationError("--phase prefill needs --tokens-per-device and --prompt")
            }
            question = .prefill(instance, tokensPerDevice: tokensPerDevice, promptTokens: prompt)
        }
        let answer: SteadyStateAnswer
        do {
            answer = try question.answer()
        } catch let error as PerfModelError {
            if json, case .doesNotFit = error {
                print(#"{"error": "\#(error.description)", "fits_in_memory": false}"#)
            }
            throw error
        }
        print(json ? Self.json(answer) : Self.table(answer, question: question))
    }
}

// Rendering: JSON for scripts, a table for people.
extension PerfCommand {
    /// The JSON object `moeserve perf --json` prints (keys sorted, so output is byte-identical per input).
    static func json(_ answer: SteadyStateAnswer) -> String {
        let b = answer.step.breakdown
        var object: [String: Any] = [
            "step_time_ms": answer.step.total.milliseconds,
            "tokens_per_s_per_device": answer.tokensPerSecondPerDevice,
            "tokens_per_s_per_node": answer.tokensPerSecondPerNode,
            "breakdown_ms": [
                "attention": b.attention.milliseconds, "moe": b.moe.milliseconds, "dense": b.dense.milliseconds,
                "dispatch": b.dispatch.milliseconds, "combine": b.combine.milliseconds, "other": b.other.milliseconds,
            ],
            "mfu": answer.step.mfu,
            "hbm_bandwidth_utilization": answer.step.hbmBandwidthUtilization,
            "link_utilization": answer.step.linkUtilization,
            "kv_capacity_tokens_per_device": answer.memory.kvCapacityTokensPerDevice,
            "weight_gb_per_device": answer.memory.weightBytesPerDevice.gigabytes,
            "fits_in_memory": true,
        ]
        if let tpot = answer.tpotSeconds { object["tpot_ms"] = tpot * 1000 }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A readable table of the answer with the breakdown.
    static func table(_ answer: SteadyStateAnswer, question: SteadyStateQuestion) -> String {
        let c = question.configuration
        let step = answer.step
        let total = step.total.seconds
        func row(_ name: String, _ value: String) -> String {
            name.padding(toLength: 34, withPad: " ", startingAt: 0) + value
        }
        func part(_ name: String, _ duration: SimDuration) -> String {
            let share = total > 0 ? duration.seconds / total * 100 : 0
            return row("  " + name, String(format: "%10.3f ms  %5.1f%%", duration.milliseconds, share))
        }
        var lines = [
            "\(c.model.name) on \(c.devices) x \(c.device.name), \(question.phase.rawValue): "
                + "EP\(c.expertParallel), DP\(c.attentionDP) x TP\(c.attentionTP), \(c.slotsPerDevice) expert slots/device, "
                + "\(c.microBatches) micro-batch(es), weights \(c.weightFormat), KV \(c.kvFormat)",
            row("step time", String(format: "%10.3f ms", step.total.milliseconds)),
        ]
        if let tpot = answer.tpotSeconds {
            lines.append(row("time per output token", String(format: "%10.3f ms", tpot * 1000)))
        }
        let unit = question.phase == .prefill ? "input" : "output"
        lines += [
            row("\(unit) tokens/s per device", String(format: "%10.0f", answer.tokensPerSecondPerDevice)),
            row("\(unit) tokens/s per node", String(format: "%10.0f", answer.tokensPerSecondPerNode)),
            "breakdown",
            part("attention", step.breakdown.attention), part("MoE experts", step.breakdown.moe),
            part("dense layers", step.breakdown.dense), part("dispatch (exposed)", step.breakdown.dispatch),
            part("combine (exposed)", step.breakdown.combine), part("other", step.breakdown.other),
            row("MFU", String(format: "%10.1f%%", step.mfu * 100)),
            row("HBM bandwidth utilization", String(format: "%10.1f%%", step.hbmBandwidthUtilization * 100)),
            row("link utilization", String(format: "%10.1f%%", step.linkUtilization * 100)),
            row("weights per device", "\(answer.memory.weightBytesPerDevice)".leftPadded(10)),
            row("KV capacity per device", "\(answer.memory.kvCapacityTokensPerDevice) tokens".leftPadded(10)),
        ]
        return lines.joined(separator: "\n")
    }
}

extension SteadyStateQuestion.Phase: ExpressibleByArgument {}
extension NumericFormat: ExpressibleByArgument {}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
