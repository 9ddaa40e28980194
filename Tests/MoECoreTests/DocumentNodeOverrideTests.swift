import MoECore
import Testing

/// Replacing a value of a document by key path, then decoding it strictly.
@Suite struct DocumentNodeOverrideTests {
    static let text = """
        name: example
        model: deepseek-v3
        cluster: {host: hgx-h800, nodes: 2}
        deployment:
          instances:
            - {role: colocated, count: 1, devices_per_instance: 16, redundant_experts: 16}
        workload: {generator: {kind: poisson, rate: 1, lengths: {input_tokens: 10, output_tokens: 2}}, limit: 5}
        """

    static func document() throws -> DocumentNode { try DocumentNode.parse(text, file: "example.yaml") }

    @Test func anOverrideReplacesAValueAddsAMissingKeyAndReachesIntoLists() throws {
        let document = try Self.document()
            .replacing("cluster.nodes", withValueText: "4")
            .replacing("scheduler.max_num_seqs", withValueText: "64")
            .replacing("deployment.instances[0].count", withValueText: "2")
            .replacing("slo", withValueText: "{ttft_ms: 2000}")
        let scenario = try Scenario(document: document)
        #expect(scenario.cluster.hosts == 4)
        #expect(scenario.scheduler.maxNumSeqs == 64)
        #expect(scenario.deployment[0].count == 2)
        #expect(scenario.slo.ttft == .milliseconds(2000))
    }

    @Test(arguments: [
        ("deployment.instances[3].count", "1", "deployment.instances[3]: index 3 is past the end"),
        ("name.first", "x", "name: expected a mapping holding 'first'"),
        ("deployment.instances.count", "1", "deployment.instances: expected a mapping holding 'count'"),
        ("cluster..nodes", "1", "malformed key path"), ("cluster.nodes[x]", "1", "malformed key path"),
        ("cluster.nodes", "[1", "is not a YAML value"),
    ])
    func aBadKeyPathOrValueIsAnErrorNamingIt(keyPath: String, value: String, message: String) throws {
        let document = try Self.document()
        #expect { try document.replacing(keyPath, withValueText: value) } throws: { "\($0)".contains(message) }
    }

    @Test func theStrictDecoderStillNamesAnUnknownKeyOrAWrongValueAfterAnOverride() throws {
        let unknown = try Self.document().replacing("scheduler.max_num_seqz", withValueText: "8")
        #expect { try Scenario(document: unknown) } throws: { error in
            "\(error)".contains("example.yaml: scheduler.max_num_seqz: unknown key 'max_num_seqz'")
        }
        let negative = try Self.document().replacing("cluster.nodes", withValueText: "-1")
        #expect { try Scenario(document: negative) } throws: { error in
            "\(error)".contains("cluster.nodes: expected a positive integer, found the number -1")
        }
    }
}
