import Foundation
import TestSupport
import Testing

@testable import MoECore

@Suite struct ScenarioTests {
    /// A valid colocated DeepSeek-V3 scenario; tests replace `{instances}` and `{workload}`.
    private static let template = """
        name: test
        model: deepseek-v3
        cluster: {host: hgx-h800, nodes: 4}
        deployment:
          instances:
        {instances}
        workload:
        {workload}
        """
    private static let twoGroups = """
            - {role: prefill, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 16}
            - {role: decode, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 16}
        """
    private static let trace = "  trace: traces/t.jsonl"

    private func scenario(instances: String = twoGroups, workload: String = trace, in directory: TemporaryDirectory)
        throws -> Scenario
    {
        let text = Self.template.replacingOccurrences(of: "{instances}", with: instances)
            .replacingOccurrences(of: "{workload}", with: workload)
        return try Scenario.load(file: try directory.write("scenario.yaml", text))
    }

    private func error(instances: String = twoGroups, workload: String = trace) throws -> InputFileError? {
        let directory = try TemporaryDirectory()
        return #expect(throws: InputFileError.self) {
            try scenario(instances: instances, workload: workload, in: directory)
        }
    }

    @Test func validScenarioResolvesModelClusterAndRelativePaths() throws {
        let directory = try TemporaryDirectory()
        let scenario = try scenario(in: directory)
        #expect(scenario.model.key == "deepseek-v3")
        #expect(scenario.clusterDevices == 32)
        #expect(scenario.deployedDevices == 32)
        #expect(scenario.deployment.map(\.role) == [.prefill, .decode])
        #expect(scenario.deployment[0].weights == .fp8)
        #expect(scenario.deployment[0].attentionDP == 16)
        let expected = URL(fileURLWithPath: directory.path).appendingPathComponent("traces/t.jsonl").standardizedFileURL
        #expect(scenario.workload.source == .trace(path: expected.path))
        #expect(scenario.scheduler == ScenarioScheduler())
    }

    @Test func unknownKeyInTheSecondInstanceNamesItsKeyPath() throws {
        let instances = """
                - {role: prefill, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 16}
                - {role: decode, count: 1, devices_per_instance: 16, epp: 16}
            """
        let error = try error(instances: instances)
        #expect(error?.keyPath == "deployment.instances[1].epp")
    }

    @Test func negativeCountAndWrongTypeAreRejected() throws {
        let negative = try error(instances: "    - {role: colocated, count: -1, devices_per_instance: 16}")
        #expect(negative?.keyPath == "deployment.instances[0].count")
        #expect(negative?.message == "expected a positive integer, found the number -1")
        let wrongType = try error(instances: "    - {role: colocated, count: two, devices_per_instance: 16}")
        #expect(wrongType?.message == "expected a positive integer, found the string \"two\"")
    }

    @Test func deploymentLargerThanTheClusterIsRejected() throws {
        let error = try error(instances: "    - {role: colocated, count: 3, devices_per_instance: 16}")
        #expect(error?.keyPath == "deployment")
        #expect(error?.message.contains("use 48 devices but the cluster has 32") == true)
    }

    @Test func expertsMustSplitEvenlyOverEP() throws {
        let error = try error(
            instances: "    - {role: colocated, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 5}")
        #expect(error?.keyPath == "deployment.instances[0].ep")
    }

    @Test func attentionParallelismMustCoverTheInstance() throws {
        let error = try error(
            instances: "    - {role: colocated, count: 1, devices_per_instance: 16, attention_dp: 4, attention_tp: 2}")
        #expect(error?.keyPath == "deployment.instances[0].attention_dp")
    }

    @Test func prefillWithoutDecodeIsRejected() throws {
        let error = try error(instances: "    - {role: prefill, count: 1, devices_per_instance: 16}")
        #expect(error?.message.contains("needs both prefill and decode") == true)
    }

    @Test func workloadNeedsExactlyOneSource() throws {
        let both = try error(workload: "  trace: t.jsonl\n  generator: {kind: poisson, rate: 1, lengths: l.csv}")
        #expect(both?.keyPath == "workload")
        let gammaWithoutCV = try error(workload: "  generator: {kind: gamma, rate: 1, lengths: l.csv}")
        #expect(gammaWithoutCV?.keyPath == "workload.generator.cv")
        let cvOnPoisson = try error(workload: "  generator: {kind: poisson, rate: 1, cv: 2, lengths: l.csv}")
        #expect(cvOnPoisson?.keyPath == "workload.generator.cv")
    }

    @Test func generatorWithFixedLengthsAndDiurnalDefaults() throws {
        let directory = try TemporaryDirectory()
        let scenario = try scenario(
            workload: "  generator: {kind: diurnal, rate: 3, lengths: {input_tokens: 100, output_tokens: 20}}",
            in: directory)
        guard case .generator(let generator) = scenario.workload.source else {
            Issue.record("expected a generator")
            return
        }
        #expect(generator.lengths == .fixed(inputTokens: 100, outputTokens: 20))
        #expect(generator.amplitude == 0.5)
        #expect(generator.period == .seconds(86_400))
    }

    @Test func priceOverrideAppliesToTheDevice() throws {
        let directory = try TemporaryDirectory()
        let text =
            Self.template.replacingOccurrences(of: "{instances}", with: Self.twoGroups)
            .replacingOccurrences(of: "{workload}", with: Self.trace) + "\nprices: {devices: {h800: 1.75}}\n"
        let scenario = try Scenario.load(file: try directory.write("s.yaml", text))
        #expect(scenario.device.pricePerHour == Dollars(1.75))
    }
}
