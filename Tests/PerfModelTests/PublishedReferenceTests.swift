import Foundation
import MoECore
import Placement
import TestSupport
import Testing
import Topology

@testable import PerfModel

/// The public end-to-end points of section 5 of the calibration file, answered by the assembled
/// model. They check the model; nothing was fitted to them. The test regenerates the tables in
/// `Docs/Calibration.md` (set `PERFMODEL_WRITE_DOCS=1` to rewrite them) and asserts every row: within
/// 15%, or a documented miss in the stated direction with its reason.
@Suite struct PublishedReferenceTests {
    /// One published point.
    struct Reference: Sendable {
        var name: String
        var setup: String
        var published: Double
        /// `per GPU` or `per node`.
        var unit: String
        var question: @Sendable (DeviceSpec, NumericFormat?) throws -> SteadyStateQuestion
        /// Why the model misses by more than 15%, or nil when it should not.
        var missReason: String?
    }

    static func instance(
        _ device: DeviceSpec, devices: Int, redundant: Int, weights: NumericFormat?, mtp: Double? = nil
    ) throws -> InstanceConfiguration {
        let topology = try ClusterTopology.smallest(holding: devices, of: device)
        let eightBit: NumericFormat = device.key.hasPrefix("ascend") ? .int8 : .fp8
        return InstanceConfiguration(
            model: Catalog.deepSeekV3, topology: topology, devices: devices, redundantExperts: redundant,
            weightFormat: weights, dispatchFormat: eightBit, microBatches: 2, mtpAcceptance: mtp)
    }

    /// An instance that routes SGLang's own measured loads (published with the benchmark runs, shipped in
    /// `Simulations/expert-loads`) over the placement DeepSeek's EPLB makes of them, as SGLang's runs did.
    static func sglangInstance(
        _ device: DeviceSpec, devices: Int, weights: NumericFormat?, loads file: String,
        phase: SteadyStateQuestion.Phase
    ) throws -> InstanceConfiguration {
        var configuration = try instance(device, devices: devices, redundant: 32, weights: weights)
        let loads = try ExpertLoads.read(
            path: SharedData.packageFile("Simulations/expert-loads/\(file).json"), model: Catalog.deepSeekV3)
        let request = try PlacementRequest(
            model: Catalog.deepSeekV3, topology: configuration.topology, devices: devices, redundantExperts: 32,
            loads: loads, weightFormat: configuration.weightFormat, phase: phase)
        configuration.expertLoad = loads
        configuration.placement = try PlacementPlanner(request).placement(.eplb)
        return configuration
    }

    static let references: [Reference] = [
        Reference(
            name: "DeepSeek profile, prefill",
            setup: "H800, EP32 (32 redundant), 16K tokens/GPU of 4K prompts, 2 micro-batches",
            published: 7839, unit: "input tok/s per GPU",
            question: { device, weights in
                .prefill(
                    try instance(device, devices: 32, redundant: 32, weights: weights), tokensPerDevice: 16384,
                    promptTokens: 4096)
            }, missReason: nil),
        Reference(
            name: "DeepSeek profile, decode",
            setup: "H800, EP128, 128 requests/GPU at 4K, 2 micro-batches, MTP (acceptance 0.8)",
            published: 2325, unit: "output tok/s per GPU",
            question: { device, weights in
                .decode(
                    try instance(device, devices: 128, redundant: 0, weights: weights, mtp: 0.8), batchPerDevice: 128,
                    contextTokens: 4096)
            }, missReason: nil),
        Reference(
            name: "SGLang 96 x H100, prefill 1K",
            setup:
                "H100, 4 nodes EP32 (32 redundant), 16K tokens/GPU of 1K prompts, SGLang's measured loads under EPLB",
            published: 57674, unit: "input tok/s per node",
            question: { device, weights in
                .prefill(
                    try sglangInstance(device, devices: 32, weights: weights, loads: "prefill_in1024", phase: .prefill),
                    tokensPerDevice: 16384, promptTokens: 1024)
            }, missReason: sglangPrefillReason),
        Reference(
            name: "SGLang 96 x H100, prefill 2K", setup: "as above, 2K prompts", published: 54543,
            unit: "input tok/s per node",
            question: { device, weights in
                .prefill(
                    try sglangInstance(device, devices: 32, weights: weights, loads: "prefill_in2048", phase: .prefill),
                    tokensPerDevice: 16384, promptTokens: 2048)
            }, missReason: sglangPrefillReason),
        Reference(
            name: "SGLang 96 x H100, prefill 4K", setup: "as above, 4K prompts", published: 50302,
            unit: "input tok/s per node",
            question: { device, weights in
                .prefill(
                    try sglangInstance(device, devices: 32, weights: weights, loads: "prefill_in4096", phase: .prefill),
                    tokensPerDevice: 16384, promptTokens: 4096)
            }, missReason: sglangPrefillReason),
        Reference(
            name: "SGLang 96 x H100, decode",
            setup:
                "H100, 9 nodes EP72 (32 redundant), 256 requests/GPU at 2K, 2 micro-batches, measured loads under EPLB",
            published: 22282, unit: "output tok/s per node",
            question: { device, weights in
                .decode(
                    try sglangInstance(
                        device, devices: 72, weights: weights, loads: "decode_in2000out100", phase: .decode),
                    batchPerDevice: 256, contextTokens: 2048)
            },
            missReason: nil),
    ]

    static let sglangPrefillReason =
        "the model's own optimism on DeepSeek's profile (+13%) plus SGLang's kernels: SGLang reports its run with "
        + "simulated perfect balance 5.6% below DeepSeek's profile; the imbalance of its real routing under EPLB "
        + "is modelled (predicted 0.87 of balanced, SGLang measured 0.85)"

    /// The device the published point was measured on.
    static func publishedDevice(_ reference: Reference) -> DeviceSpec {
        reference.name.hasPrefix("SGLang") ? Catalog.h100 : Catalog.h800
    }

    static func value(_ answer: SteadyStateAnswer, unit: String) -> Double {
        unit.hasSuffix("per node") ? answer.tokensPerSecondPerNode : answer.tokensPerSecondPerDevice
    }

    @Test(arguments: references.indices)
    func publishedPointIsWithin15PercentOrAnExplainedMiss(_ index: Int) throws {
        let reference = Self.references[index]
        let answer = try reference.question(Self.publishedDevice(reference), nil).answer()
        let error = Self.value(answer, unit: reference.unit) / reference.published - 1
        if reference.missReason == nil {
            #expect(abs(error) <= 0.15, "\(reference.name): predicted \(error * 100)% off")
        } else {
            // A documented miss: optimistic, by no more than the effects named add up to (13% + 5.6% and
            // the spread of the prompt-length trend).
            #expect(error > 0.15 && error < 0.30, "\(reference.name): predicted \(error * 100)% off")
        }
    }

    @Test func calibrationDocumentHoldsTheGeneratedTables() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/Calibration.md")
        var document = try String(contentsOf: url, encoding: .utf8)
        let blocks = [
            ("kernels", try KernelCalibrationTests.kernelTable()), ("section-5", try Self.checkTable()),
            ("devices", try Self.deviceTable()),
        ]
        for (name, table) in blocks {
            let begin = "<!-- BEGIN generated: \(name) (PublishedReferenceTests) -->\n"
            let end = "<!-- END generated: \(name) -->"
            let start = try #require(document.range(of: begin), "Docs/Calibration.md lacks the \(name) markers")
            let stop = try #require(document.range(of: end, range: start.upperBound..<document.endIndex))
            if ProcessInfo.processInfo.environment["PERFMODEL_WRITE_DOCS"] == "1" {
                document.replaceSubrange(start.upperBound..<stop.lowerBound, with: table)
            } else {
                #expect(
                    String(document[start.upperBound..<stop.lowerBound]) == table, "rerun with PERFMODEL_WRITE_DOCS=1")
            }
        }
        if ProcessInfo.processInfo.environment["PERFMODEL_WRITE_DOCS"] == "1" {
            try document.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static func checkTable() throws -> String {
        var lines = [
            "| Check | Setup | Published | Predicted | Error | Step | Verdict |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for reference in references {
            let answer = try reference.question(publishedDevice(reference), nil).answer()
            let predicted = value(answer, unit: reference.unit)
            let error = predicted / reference.published - 1
            let verdict = abs(error) <= 0.15 ? "within 15%" : "miss: \(reference.missReason ?? "unexplained")"
            lines.append(
                "| \(reference.name) | \(reference.setup) | \(format(reference.published)) \(reference.unit) | "
                    + "\(format(predicted)) | \(String(format: "%+.1f%%", error * 100)) | "
                    + "\(String(format: "%.1f ms", answer.step.total.milliseconds)) | \(verdict) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func deviceTable() throws -> String {
        let devices: [(DeviceSpec, NumericFormat?, String)] = [
            (Catalog.h800, nil, "H800 (FP8)"), (Catalog.h20, nil, "H20 (FP8)"),
            (Catalog.ascend910C, .int8, "Ascend 910C (INT8, CloudMatrix384)"),
        ]
        var lines = [
            "| Question | " + devices.map(\.2).joined(separator: " | ") + " |",
            "|---|" + String(repeating: "---:|", count: devices.count),
        ]
        for reference in references where !reference.name.hasSuffix("1K") && !reference.name.hasSuffix("2K") {
            var cells = [String]()
            for (device, weights, _) in devices {
                let answer = try reference.question(device, weights).answer()
                let unit = reference.unit.hasSuffix("per node") ? "per node" : "per device"
                cells.append(
                    "\(format(value(answer, unit: reference.unit))) tok/s \(unit), step "
                        + String(format: "%.1f ms, MFU %.0f%%", answer.step.total.milliseconds, answer.step.mfu * 100))
            }
            lines.append(
                "| \(reference.name): \(reference.setup.replacingOccurrences(of: "H800, ", with: "").replacingOccurrences(of: "H100, ", with: "")) | "
                    + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func format(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        var digits = String(rounded)
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: digits.index(digits.startIndex, offsetBy: index))
            index -= 3
        }
        return digits
    }
}
