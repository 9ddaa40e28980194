import Foundation
import Testing

/// End-to-end tests of `moeserve simulate` on the built binary.
@Suite struct SimulateCommandTests {
    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "simulate-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func theDefaultScenarioPrintsTheSummaryAndWritesJSONAndTimeSeries() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = "\(directory)/report.json"
        let result = try CLITests.run(["simulate", "--json", json, "--csv", "\(directory)/series"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Serving Benchmark Result"))
        #expect(result.standardOutput.contains("deepseek-v3-h800-colocated"))
        #expect(result.standardError.isEmpty, "stderr: \(result.standardError)")  // no progress bar off a terminal
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(object["completed"] as? Int == 1_750)
        #expect(object["total_input_tokens"] as? Int == 24_486_514)  // the Mooncake slice's sums (ATTRIBUTION.md)
        #expect(object["total_output_tokens"] as? Int == 619_615)
        for file in ["instances.csv", "devices.csv"] {
            let text = try String(contentsOfFile: "\(directory)/series/\(file)", encoding: .utf8)
            #expect(text.split(separator: "\n").count > 100, "\(file)")
        }
    }

    @Test func theSameSeedWritesTheSameBytes() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = ["simulate", "--scenario", "Simulations/mixtral-8x7b-h100.json", "--seed", "5", "--json"]
        #expect(try CLITests.run(arguments + ["\(directory)/a.json"]).status == 0)
        #expect(try CLITests.run(arguments + ["\(directory)/b.json"]).status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.json"))
        #expect(first == (try Data(contentsOf: URL(fileURLWithPath: "\(directory)/b.json"))))
    }

    @Test func aMalformedTraceRowExitsWithCodeTwoNamingFileAndLineUnlessSkipped() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trace = "\(directory)/trace.csv"
        let rows = (0..<20).map { "2023-11-16 18:15:\(String(format: "%02d", $0)).0000000,300,40" }
        var lines = ["TIMESTAMP,ContextTokens,GeneratedTokens"] + rows
        lines[7] = "2023-11-16 18:15:06.0000000,three hundred,40"
        try lines.joined(separator: "\n").write(toFile: trace, atomically: true, encoding: .utf8)
        let strict = try CLITests.run(["simulate", "--trace", trace])
        #expect(strict.status == 2)
        #expect(strict.standardError.contains("\(trace):8:"), "\(strict.standardError)")
        let skipping = try CLITests.run(["simulate", "--trace", trace, "--skip-bad-rows"])
        #expect(skipping.status == 0, "\(skipping.standardError)")
        #expect(skipping.standardError.contains("skipped 1 malformed trace rows"))
        #expect(skipping.standardOutput.contains("Successful requests:                    19"))
    }

    @Test(arguments: [
        (["simulate", "--trace", "/nonexistent/trace.csv"], "/nonexistent/trace.csv: cannot read"),
        (["simulate", "--scenario", "/nonexistent/scenario.yaml"], "/nonexistent/scenario.yaml"),
        (
            ["simulate", "--decode-router", "decode_balance"],
            "--decode-router needs a scenario with prefill and decode"
        ),
        (["simulate", "--html", "/nonexistent/folder/report.html"], "cannot write /nonexistent/folder/report.html"),
    ])
    func badInputExitsWithCodeTwo(arguments: [String], message: String) throws {
        let result = try CLITests.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }
}
