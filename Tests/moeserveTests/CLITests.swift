import Foundation
import TestSupport
import Testing

/// End-to-end tests of the built `moeserve` binary.
@Suite struct CLITests {
    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    typealias Output = CommandOutput

    static func run(_ arguments: [String]) throws -> Output { try BuiltProducts.run("moeserve", arguments) }

    static let validScenario = """
        name: cli-test
        model: mixtral-8x7b
        cluster: {host: hgx-h100, nodes: 1}
        deployment:
          instances:
            - {role: colocated, count: 4, devices_per_instance: 2, attention_tp: 2, ep: 2}
            - {role: colocated, count: 2, devices_per_instance: 2, attention_tp: 2, ep: 2}
        workload:
          generator: {kind: poisson, rate: 2, lengths: {input_tokens: 100, output_tokens: 10}}
        """

    @Test(arguments: [
        ("ep: 2}\n    - {role", "epp: 2}\n    - {role", "deployment.instances[0].epp", "unknown key 'epp'"),
        ("count: 2, devices", "count: two, devices", "deployment.instances[1].count", "found the string \"two\""),
        ("count: 2, devices", "count: -2, devices", "deployment.instances[1].count", "found the number -2"),
        ("nodes: 1", "nodes: 1.5", "cluster.nodes", "expected a positive integer"),
    ])
    func malformedScenarioExitsWithCodeTwoNamingTheKeyPath(
        original: String, replacement: String, keyPath: String, detail: String
    ) throws {
        let directory = NSTemporaryDirectory() + "cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = "\(directory)/bad.yaml"
        let text = Self.validScenario.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.validScenario)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Self.run(["validate", file])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(file):"))
        #expect(result.standardError.contains(keyPath))
        #expect(result.standardError.contains(detail), "\(result.standardError)")
    }

    @Test func missingScenarioFileIsNamed() throws {
        let result = try Self.run(["validate", "/nonexistent/scenario.yaml"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("/nonexistent/scenario.yaml: no such file"))
    }

    @Test func jsonCatalogListsEveryModelWithDerivedFigures() throws {
        let result = try Self.run(["catalog", "models", "--json"])
        #expect(result.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.count == 6)
        for model in models {
            for key in ["key", "total_params", "active_params", "kv_bytes_per_token"] {
                #expect(model[key] != nil, "\(model["key"] ?? "?") lacks \(key)")
            }
        }
        let deepSeek = try #require(models.first { $0["key"] as? String == "deepseek-v3" })
        #expect(deepSeek["kv_bytes_per_token"] as? Int == 70_272)
        #expect(abs(Double(deepSeek["total_params"] as? Int ?? 0) / 671e9 - 1) < 0.02)
        #expect(object["devices"] == nil)
    }

    @Test func catalogJSONIsByteIdenticalRunToRun() throws {
        #expect(try Self.run(["catalog", "--json"]).standardOutput == Self.run(["catalog", "--json"]).standardOutput)
    }

    @Test func catalogTablesShowEverySection() throws {
        let result = try Self.run(["catalog"])
        #expect(result.status == 0)
        for needle in ["Models", "Devices", "Hosts", "deepseek-v3", "ascend-910c", "cloudmatrix384-node"] {
            #expect(result.standardOutput.contains(needle))
        }
    }

    @Test(
        arguments: try FileManager.default.contentsOfDirectory(
            atPath: repositoryRoot.appendingPathComponent("Simulations").path
        )
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted())
    func everyShippedScenarioValidates(file: String) throws {
        let result = try Self.run(["validate", "Simulations/\(file)"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Deployment:"))
    }

    @Test func topologyShowsThisHostAndASimulatedHost() throws {
        let local = try Self.run(["topology"])
        #expect(local.status == 0)
        #expect(local.standardOutput.contains("NUMA distances"))
        let simulated = try Self.run(["topology", "--host", "hgx-h800"])
        #expect(simulated.status == 0)
        #expect(simulated.standardOutput.contains("   0  10  21"))
        let unknown = try Self.run(["topology", "--host", "tpu-pod"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("unknown host 'tpu-pod'"))
    }

    @Test func badCatalogFileOptionExitsWithCodeTwo() throws {
        let file = NSTemporaryDirectory() + "catalog-" + UUID().uuidString + ".yaml"
        try "devices:\n  - {key: x, extends: h800, memory_gb: -80}\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try Self.run(["catalog", "devices", "--catalog", file])
        #expect(result.status == 2)
        #expect(result.standardError.contains("devices[0].memory_gb: expected a positive number, found the number -80"))
    }
}
