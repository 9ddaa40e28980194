import ArgumentParser
import Foundation
import MoECore
import PerfModel
import Placement
import Topology

/// `moeserve plan`: which device holds which experts and replicas for one instance, and how well
/// that serves the given expert loads.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan (or evaluate) an expert placement from per-layer expert loads.",
        discussion: """
            Examples:
              moeserve plan --devices 144 --redundant-experts 32 \\
                --loads Simulations/expert-loads/decode_in1000out1000.json
              moeserve plan --devices 32 --redundant-experts 32 --phase prefill \\
                --algorithm eplb --loads Simulations/expert-loads/prefill_in4096.json --json > plan.json
              moeserve plan --devices 32 --redundant-experts 32 --phase prefill \\
                --loads Simulations/expert-loads/prefill_in1024.json --placement plan.json
              moeserve plan --devices 32 --redundant-experts 32 --zipf 1.1 --seed 7 \\
                --previous plan.json --max-moves 64 --html moves.html
            """)

    @Option(help: "Model catalog key.") var model = "deepseek-v3"
    @Option(help: "A catalog cluster key, or a catalog file defining one cluster (default: HGX H800 nodes).")
    var cluster: String?
    @Option(help: "Devices in the instance (default: the whole cluster from --device-offset on).") var devices: Int?
    @Option(help: "Index of the instance's first device in the cluster.") var deviceOffset = 0
    @Option(help: "Redundant expert slots spread over the devices.") var redundantExperts = 0
    @Option(help: "Expert slots per device (default: the fewest that hold the experts and redundant ones).")
    var slotsPerDevice: Int?
    @Option(help: "Expert loads: SGLang's expert-distribution JSON, or a CSV with one line per MoE layer.")
    var loads: String?
    @Option(help: "Instead of --loads: a synthetic Zipf skew with this exponent.") var zipf: Double?
    @Option(help: "Seed of the synthetic skew's expert order.") var seed: UInt64 = 0
    @Option(help: "Tokens per layer of the synthetic skew.") var zipfTokens = 1_000_000.0
    @Option(help: "Algorithm: planner, none (no replication) or eplb (DeepSeek's EPLB).")
    var algorithm: PlacementAlgorithm = .planner
    @Option(help: "Evaluate this saved placement (a plan's --json output) instead of planning.") var placement: String?
    @Option(help: "The placement in service now (a plan's --json output), to count and cost what moves.")
    var previous: String?
    @Option(help: "With --previous: move at most this many expert copies (slots over all layers).")
    var maxMoves: Int?
    @Option(help: "Step the metrics describe: prefill (DeepEP normal kernels) or decode (low-latency).")
    var phase: SteadyStateQuestion.Phase = .decode
    @Option(help: "Tokens each device sends into a MoE layer (default 8192 prefill, 128 decode).")
    var tokensPerDevice: Double?
    @Option(help: "Weight format: fp8, int8, bf16 or int4 (default: the model's own).") var weights: NumericFormat?
    @Option(help: "Memory per device available for weights, GB (default: HBM less the activation reserve).")
    var weightMemoryGb: Double?
    @Flag(help: "Print JSON (sorted keys) instead of a summary.") var json = false
    @Option(help: "Also write a self-contained HTML page with heat maps of device loads before and after.")
    var html: String?
    @OptionGroup var catalogFiles: CatalogFilesOption

    func run() throws {
        try reportingPlanErrors {
            let catalog = try catalogFiles.load()
            guard let modelSpec = catalog.model(model) else {
                throw PlanInputError(
                    "unknown model '\(model)'; known: \(catalog.models.map(\.key).joined(separator: ", "))")
            }
            let topology = try resolveTopology(catalog: catalog)
            let request = try makeRequest(model: modelSpec, topology: topology)
            let planner = try PlacementPlanner(request)
            let after =
                try placement.map { try planner.evaluate(ExpertPlacement.load(file: $0)) } ?? planner.plan(algorithm)
            let before = try request.previous.map { try planner.evaluate($0) } ?? planner.plan(.none)
            let report = PlanReport(
                request: request, planner: planner, algorithm: placement == nil ? algorithm.rawValue : "evaluated",
                before: before, beforeName: request.previous == nil ? "no replication" : "previous", after: after)
            print(json ? report.json() : report.summary())
            if let html { try PlanHeatMap.page(report).write(toFile: html, atomically: true, encoding: .utf8) }
        }
    }

    /// The cluster: `--cluster` as a catalog key or a catalog file, else enough HGX H800 nodes.
    private func resolveTopology(catalog: Catalog) throws -> ClusterTopology {
        guard let cluster else {
            guard let devices, devices > 0 else {
                throw PlanInputError("--devices must be a positive count when there is no --cluster")
            }
            return try ClusterTopology(hostKey: "hgx-h800", hosts: (deviceOffset + devices + 7) / 8, catalog: catalog)
        }
        if FileManager.default.fileExists(atPath: cluster) {
            let keys = try CatalogFileClusters.keys(in: cluster)
            guard keys.count == 1 else {
                throw PlanInputError(
                    "\(cluster) defines \(keys.count) clusters (\(keys.joined(separator: ", "))); pass it with "
                        + "--catalog and name one with --cluster KEY")
            }
            let merged = try reportingInputErrors { try Catalog.loading(files: [cluster], onto: catalog) }
            return try ClusterTopology(cluster: merged.cluster(keys[0])!, catalog: merged)
        }
        guard let spec = catalog.cluster(cluster) else {
            throw PlanInputError(
                "unknown cluster '\(cluster)' (and no such file); known clusters: "
                    + catalog.clusters.map(\.key).joined(separator: ", "))
        }
        return try ClusterTopology(cluster: spec, catalog: catalog)
    }

    private func makeRequest(model: ModelSpec, topology: ClusterTopology) throws -> PlacementRequest {
        guard deviceOffset >= 0 else { throw PlanInputError("--device-offset must be 0 or more, got \(deviceOffset)") }
        let count = devices ?? (topology.deviceCount - deviceOffset)
        guard count > 0 else { throw PlanInputError("--devices must be at least 1, got \(count)") }
        if let tokensPerDevice, !(tokensPerDevice.isFinite && tokensPerDevice >= 0) {
            throw PlanInputError("--tokens-per-device must be a finite non-negative number, got \(tokensPerDevice)")
        }
        if let weightMemoryGb, !(weightMemoryGb.isFinite && weightMemoryGb > 0) {
            throw PlanInputError("--weight-memory-gb must be a positive number, got \(weightMemoryGb)")
        }
        if maxMoves != nil && previous == nil { throw PlanInputError("--max-moves needs --previous") }
        if placement != nil && maxMoves != nil {
            throw PlanInputError("--placement evaluates a saved placement; it does not move experts (drop --max-moves)")
        }
        let matrix = try loadMatrix(model: model)
        return try PlacementRequest(
            model: model, topology: topology, deviceOffset: deviceOffset, devices: count,
            redundantExperts: redundantExperts, slotsPerDevice: slotsPerDevice, loads: matrix, weightFormat: weights,
            phase: phase, tokensPerDevice: tokensPerDevice, weightMemoryLimit: weightMemoryGb.map { .gigabytes($0) },
            previous: try previous.map { try ExpertPlacement.load(file: $0) }, maximumMoves: maxMoves)
    }

    private func loadMatrix(model: ModelSpec) throws -> ExpertLoadMatrix {
        switch (loads, zipf) {
        case (let path?, nil):
            return try ExpertLoads.read(path: path, model: model)
        case (nil, let exponent?):
            guard exponent.isFinite, exponent >= 0 else {
                throw PlanInputError("--zipf must be a finite non-negative exponent, got \(exponent)")
            }
            guard zipfTokens.isFinite, zipfTokens > 0 else {
                throw PlanInputError("--zipf-tokens must be a positive number, got \(zipfTokens)")
            }
            guard model.moe != nil else { throw PlanInputError("\(model.key) is dense: it has no experts to skew") }
            return ExpertLoads.zipf(model: model, exponent: exponent, tokens: zipfTokens, seed: seed)
        case (nil, nil):
            throw PlanInputError("give the expert loads: --loads FILE or --zipf EXPONENT")
        case (_?, _?):
            throw PlanInputError("give either --loads or --zipf, not both")
        }
    }
}

/// A bad `plan` option, reported like a bad file: on standard error, exit code 2.
struct PlanInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`; bad input of any kind (a file, an option, a request the cluster cannot hold) is printed
/// to standard error and ends the command with exit code 2.
func reportingPlanErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error
        where error is PlanInputError || error is PlacementError || error is PerfModelError || error is TopologyError
        || error is InputFileError
    {
        printError("error: \(error)")
        throw ExitCode(2)
    }
}

extension PlacementAlgorithm: ExpressibleByArgument {}
