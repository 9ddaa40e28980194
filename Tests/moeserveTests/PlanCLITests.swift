import Foundation
import Testing

/// End-to-end tests of `moeserve plan` through the built binary.
@Suite struct PlanCLITests {
    static let loads = "Simulations/expert-loads/decode_in1000out1000.json"

    static func temporaryFile(_ name: String, _ contents: String? = nil) throws -> String {
        let path = NSTemporaryDirectory() + UUID().uuidString + "-" + name
        if let contents { try contents.write(toFile: path, atomically: true, encoding: .utf8) }
        return path
    }

    static func json(_ output: CLITests.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
    }

    @Test func planPrintsBeforeAndAfterWithTheIssuesKeys() throws {
        let summary = try CLITests.run(["plan", "--devices", "16", "--redundant-experts", "16", "--loads", Self.loads])
        #expect(summary.status == 0, "\(summary.standardError)")
        for needle in ["balancedness (mean/max device load)", "no replication", "planner", "NIC GB per step"] {
            #expect(summary.standardOutput.contains(needle), "\(summary.standardOutput)")
        }
        let arguments = ["plan", "--devices", "16", "--redundant-experts", "16", "--loads", Self.loads, "--json"]
        let first = try CLITests.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(try CLITests.run(arguments).standardOutput == first.standardOutput)
        let object = try Self.json(first)
        for key in [
            "balancedness", "moe_layer_time_ms", "nic_bytes", "inter_socket_bytes", "scale_up_bytes", "experts_moved",
            "placement", "weight_bytes_per_device", "before",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let balancedness = try #require(object["balancedness"] as? Double)
        let before = try #require((object["before"] as? [String: Any])?["balancedness"] as? Double)
        #expect(balancedness > before)
    }

    @Test func aSavedPlacementIsEvaluatedWithoutReplanningAndMovesAreBudgeted() throws {
        let saved = try Self.temporaryFile("plan.json")
        defer { try? FileManager.default.removeItem(atPath: saved) }
        let base = ["plan", "--devices", "16", "--redundant-experts", "16", "--json"]
        let plan = try CLITests.run(base + ["--loads", Self.loads])
        try plan.standardOutput.write(toFile: saved, atomically: true, encoding: .utf8)
        let evaluated = try CLITests.run(base + ["--loads", Self.loads, "--placement", saved])
        #expect(evaluated.status == 0, "\(evaluated.standardError)")
        let planned = try Self.json(plan)
        let again = try Self.json(evaluated)
        #expect(again["algorithm"] as? String == "evaluated")
        #expect(abs((again["balancedness"] as! Double) - (planned["balancedness"] as! Double)) < 1e-9)
        // The same placement under other loads (yesterday's plan on today's traffic), then re-planned
        // with a budget of 20 copies.
        let today = "Simulations/expert-loads/prefill_in4096.json"
        let stale = try Self.json(try CLITests.run(base + ["--loads", today, "--placement", saved]))
        let moved = try CLITests.run(base + ["--loads", today, "--previous", saved, "--max-moves", "20"])
        #expect(moved.status == 0, "\(moved.standardError)")
        let rebalanced = try Self.json(moved)
        let count = try #require(rebalanced["experts_moved"] as? Int)
        #expect(count > 0 && count <= 20)
        #expect((rebalanced["migration_bytes"] as? Int ?? 0) > 0)
        #expect((rebalanced["balancedness"] as! Double) >= (stale["balancedness"] as! Double))
    }

    @Test func theHTMLPageIsSelfContainedWithTwoHeatMaps() throws {
        let page = try Self.temporaryFile("plan.html")
        defer { try? FileManager.default.removeItem(atPath: page) }
        let result = try CLITests.run([
            "plan", "--devices", "16", "--redundant-experts", "16", "--zipf", "1.2", "--seed", "5", "--html", page,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)  // before, after, legend
        #expect(html.contains("<rect") && html.contains("balancedness"))
        for external in ["<script", "<link", "src=", "href="] { #expect(!html.contains(external)) }
    }

    @Test(arguments: [
        ("-1", "column 1: load -1 is negative"), ("nan", "column 1: 'nan' is not a finite number"),
        ("x", "column 1: 'x' is not a finite number"),
    ])
    func badCSVLoadsExitWithCodeTwoNamingLineAndColumn(cell: String, message: String) throws {
        let rows = (0..<58).map { row in (0..<256).map { row == 3 && $0 == 0 ? cell : "5" }.joined(separator: ",") }
        let file = try Self.temporaryFile("loads.csv", rows.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try CLITests.run(["plan", "--devices", "16", "--loads", file])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(file):4: \(message)"), "\(result.standardError)")
    }

    @Test(arguments: [
        (["--devices", "16", "--loads", "short.csv"], "short.csv:1: 255 values, expected 256"),
        (
            ["--zipf", "1", "--devices", "144", "--redundant-experts", "32", "--slots-per-device", "1"],
            "need 288 slots, but 144 devices x 1 slots hold 144"
        ),
        (["--zipf", "1", "--devices", "8", "--redundant-experts", "32"], "per device but NVIDIA H800 SXM5 has"),
        (["--zipf", "1", "--devices", "16", "--weights", "bf16"], "per device but NVIDIA H800 SXM5 has"),
        (["--zipf", "1", "--devices", "16", "--cluster", "tpu-pod"], "unknown cluster 'tpu-pod'"),
        (["--devices", "16"], "give the expert loads"),
        (["--zipf", "1", "--devices", "16", "--max-moves", "3"], "--max-moves needs --previous"),
    ])
    func badRequestsExitWithCodeTwo(arguments: [String], message: String) throws {
        let short = try Self.temporaryFile("short.csv", String(repeating: "1,", count: 254) + "1\n")
        defer { try? FileManager.default.removeItem(atPath: short) }
        let result = try CLITests.run(["plan"] + arguments.map { $0 == "short.csv" ? short : $0 })
        #expect(result.status == 2, "\(result.standardOutput)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func aClusterFileNamesTheCluster() throws {
        let file = try Self.temporaryFile(
            "cluster.yaml", "clusters:\n  - {key: lab, host: hgx-h800, hosts: 2}\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try CLITests.run(["plan", "--cluster", file, "--zipf", "1", "--redundant-experts", "16", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try Self.json(result)
        #expect(object["cluster"] as? String == "lab" && object["devices"] as? Int == 16)
    }
}

extension PlanCLITests {
    @Test func theReportCommandUpdatesOnlyTheMarkedPartOfADocument() throws {
        let folder = NSTemporaryDirectory() + "report-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.loads, toPath: "\(folder)/decode_in1000out1000.json")
        let document = "\(folder)/report.md"
        let markers =
            "intro\n<!-- placement-report:begin (generated by make placement-report) -->\nold\n"
            + "<!-- placement-report:end -->\noutro\n"
        try markers.write(toFile: document, atomically: true, encoding: .utf8)
        let result = try CLITests.run(["placement-report", folder, "--update", document])
        #expect(result.status == 0, "\(result.standardError)")
        let updated = try String(contentsOfFile: document, encoding: .utf8)
        #expect(updated.hasPrefix("intro\n") && updated.hasSuffix("outro\n") && !updated.contains("\nold\n"))
        #expect(updated.contains("### EP32 prefill") && updated.contains("| decode_in1000out1000 |"))
        try "no markers\n".write(toFile: document, atomically: true, encoding: .utf8)
        let unmarked = try CLITests.run(["placement-report", folder, "--update", document])
        #expect(unmarked.status == 2 && unmarked.standardError.contains("no report markers"))
    }
}
