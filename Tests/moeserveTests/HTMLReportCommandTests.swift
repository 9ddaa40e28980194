import Foundation
import Testing

/// `moeserve simulate --html`: one self-contained page that a browser renders.
@Suite struct HTMLReportCommandTests {
    /// Headless Chromium, when installed (`.ci/run` installs it).
    static let chromium: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }()

    /// A disaggregated DeepSeek-V3 cluster on the Mooncake slice with the shared context cache, a night
    /// schedule on the prefill group and a node lost for a minute: every section of the page has data.
    static let scenario = """
        name: html-report
        seed: 3
        model: deepseek-v3
        cluster: {host: hgx-h800, nodes: 6}
        deployment:
          instances:
            - role: prefill
              count: 2
              devices_per_instance: 16
              ep: 16
              redundant_experts: 16
              micro_batches: 2
              autoscale:
                schedule: [{at_h: 0, instances: 1}, {at_h: 0.05, instances: 2}]
                period_h: 1
                warmup_s: 30
            - {role: decode, count: 1, devices_per_instance: 16, ep: 16, redundant_experts: 16, micro_batches: 2,
               mtp_acceptance: 0.85}
        workload: {trace: {trace}, limit: 600}
        context_cache: {capacity_tb: 20}
        faults:
          events: [{at_s: 100, node: 5, repair_s: 60}]
          restart_s: 30
        expert_load: {loads}
        slo: {ttft_ms: 2000, tpot_ms: 50}
        prices:
          compare: [{name: DeepSeek API, input_per_mtok_usd: 0.27, cached_input_per_mtok_usd: 0.07, output_per_mtok_usd: 1.10}]
        """

    @Test func thePageHoldsEveryChartAndNoExternalAsset() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = try Self.writeReport(in: directory)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        for heading in [
            "Latency distributions", "Utilization over time", "Nodes provisioned", "Cost by phase", "Expert balance",
            "Cluster dynamics",
        ] {
            #expect(html.contains("<h2>\(heading)</h2>"), "missing section \(heading)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 >= 10)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
    }

    @Test(.enabled(if: chromium != nil, "no chromium binary on PATH: apt-get install -y chromium (.ci/run does)"))
    func theReportRendersInHeadlessChromiumAndIsNotBlank() throws {
        let chromium = try #require(Self.chromium)
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = try Self.writeReport(in: directory)
        let blank = "\(directory)/blank.html"
        try "<!DOCTYPE html><html><body></body></html>".write(toFile: blank, atomically: true, encoding: .utf8)
        let report = try Self.screenshot(page, with: chromium, to: "\(directory)/report.png")
        let empty = try Self.screenshot(blank, with: chromium, to: "\(directory)/blank.png")
        // A PNG of a blank page is rows of one colour and deflates to almost nothing; charts, axes and text do
        // not. The report's screenshot must be a real PNG many times the blank one's size.
        #expect(report.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(report.count > 8 * empty.count && report.count > 100_000, "\(report.count) vs \(empty.count) bytes")
    }

    /// Simulates ``scenario`` with `--html` into `directory`; returns the page's path.
    static func writeReport(in directory: String) throws -> String {
        let root = CLITests.repositoryRoot.path
        let text = scenario.replacingOccurrences(
            of: "{trace}", with: "\(root)/Simulations/traces/mooncake_conversation_first10min.jsonl"
        ).replacingOccurrences(of: "{loads}", with: "\(root)/Simulations/expert-loads/decode_in1000out1000.json")
        let file = "\(directory)/scenario.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let page = "\(directory)/report.html"
        let result = try CLITests.run(["simulate", "--scenario", file, "--html", page])
        #expect(result.status == 0, "\(result.standardError)")
        return page
    }

    /// A headless screenshot of `page`, 1200 x 6000 pixels.
    static func screenshot(_ page: String, with chromium: String, to path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,6000",
            "--screenshot=\(path)", "file://\(page)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium exited with \(process.terminationStatus)")
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
