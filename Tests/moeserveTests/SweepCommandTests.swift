import Foundation
import Testing

/// End-to-end tests of `moeserve sweep` and `moeserve explain-cost` on the built binary.
@Suite struct SweepCommandTests {
    static let scenario = ["--scenario", "Simulations/mixtral-8x7b-azure-sweep.yaml"]
    static let knobs = [
        "--vary", "scheduler.max_num_seqs=16,64", "--vary", "deployment.instances[0].count/cluster.nodes=1/1,2/2",
        "--slo", "ttft=2s,tpot=50ms",
    ]

    @Test func aSweepPrintsItsFrontierWritesCSVAndHTMLAndResumesFromTheCSV() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = "\(directory)/sweep.csv"
        let arguments = ["sweep"] + Self.scenario + Self.knobs + ["--csv", csv, "--html", "\(directory)/sweep.html"]
        let first = try CLITests.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("4 of 4 configurations (4 simulated, 0 from the CSV"))
        #expect(first.standardOutput.contains("Pareto frontier"))
        #expect(first.standardOutput.contains("Recommended (cheapest at >= 90.0% attainment)"))
        #expect(first.standardError.isEmpty, "\(first.standardError)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows[0].hasPrefix("sweep,scheduler.max_num_seqs,deployment.instances[0].count,cluster.nodes,status"))
        let html = try String(contentsOfFile: "\(directory)/sweep.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Pareto frontier"))
        let again = try CLITests.run(arguments)
        #expect(again.standardOutput.contains("(0 simulated, 4 from the CSV"))
        #expect(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n") == rows)
    }

    @Test func minNodesFindsTheSmallestClusterOfEachConfiguration() throws {
        let result = try CLITests.run(
            ["sweep"] + Self.scenario + ["--min-nodes", "--max-nodes", "6", "--vary", "scheduler.max_num_seqs=4,64"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Capacity: the smallest cluster (instances)"))
        #expect(result.standardOutput.contains("Smallest and cheapest: 1 nodes with scheduler.max_num_seqs=64"))
    }

    @Test(arguments: [
        (["--vary", "scheduler.max_num_seqz=8"], "unknown key 'max_num_seqz'"),
        (["--vary", "scheduler.policy=fcfs,lifo"], "--vary scheduler.policy=lifo"),
        (["--vary", "scheduler.max_num_seqs"], "--vary 'scheduler.max_num_seqs': expected KEY=V1,V2"),
        (["--slo", "ttft=2,tpot=50ms"], "--slo 'ttft=2,tpot=50ms': '2' is not a duration"),
        (["--slo", "latency=2s"], "unknown objective 'latency'"),
        (["--min-attainment", "1.5"], "--min-attainment: expected a number from 0 to 1"),
    ])
    func badInputExitsWithCodeTwoNamingIt(arguments: [String], message: String) throws {
        let result = try CLITests.run(["sweep"] + Self.scenario + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func explainCostWritesTheStepsAsJSONWithPendingLeversListed() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let levers = "\(directory)/levers.yaml"
        let trace = CLITests.repositoryRoot.appendingPathComponent("Simulations/traces").path
        try """
        baseline:
          title: batches of 4
          source: a small Mixtral cluster
          scenario:
            name: small
            model: mixtral-8x7b
            cluster: {host: hgx-h100, nodes: 1}
            deployment:
              instances: [{role: colocated, count: 1, devices_per_instance: 8, attention_dp: 8, ep: 8}]
            scheduler: {max_num_seqs: 4}
            workload: {trace: \(trace)/AzureLLMInferenceTrace_conv_first10min.csv, limit: 300, rate_scale: 40}
            slo: {ttft_ms: 2000, tpot_ms: 50}
        levers:
          - {key: big, lever: batches of 64, source: vLLM defaults, set: {scheduler.max_num_seqs: 64}}
          - {key: later, lever: a later feature, source: nowhere yet, pending: not built}
        paths:
          - {name: small, title: a small cluster, levers: [big, later]}
        """.write(toFile: levers, atomically: true, encoding: .utf8)
        let result = try CLITests.run(["explain-cost", "--levers", levers, "--max-nodes", "6", "--json", "-"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let steps = try #require((object["paths"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])
        #expect(steps.count == 3)
        for key in [
            "lever", "usd_per_million_output_tokens", "usd_per_million_input_tokens", "nodes", "slo_attainment",
        ] {
            #expect(steps.allSatisfy { $0[key] != nil }, "\(key)")
        }
        #expect(steps[2]["pending"] as? String == "not built")
        let unknownPath = try CLITests.run(["explain-cost", "--levers", levers, "--path", "tpu"])
        #expect(unknownPath.status == 2)
        #expect(unknownPath.standardError.contains("--path: no path 'tpu'"))
    }
}
