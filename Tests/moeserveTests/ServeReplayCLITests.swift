import Foundation
import TestSupport
import Testing

/// `moeserve serve` and `moeserve replay` refuse bad options and unreachable servers with a clear message.
@Suite struct ServeReplayCLITests {
    static let trace = "Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv"

    @Test(arguments: [
        ["serve", "--port", "70000"], ["serve", "--time-factor", "-1"], ["serve", "--chat-max-tokens", "0"],
        ["replay", "--trace", trace, "--url", "http://127.0.0.1:8000", "--time-factor", "0"],
        ["replay", "--trace", trace, "--url", "http://127.0.0.1:8000", "--rate-scale", "nan"],
        ["replay", "--url", "http://127.0.0.1:8000"],
    ])
    func malformedOptionsAreUsageErrors(arguments: [String]) throws {
        let result = try CLITests.run(arguments)
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains("Error:"), "\(result.standardError)")
    }

    @Test(arguments: [
        (["--url", "https://api.example.com"], "https is not supported"),
        (["--url", "http://127.0.0.1:1"], "cannot learn the served model from http://127.0.0.1:1"),
        (["--url", "http://127.0.0.1:1", "--trace", "/nonexistent/trace.csv"], "/nonexistent/trace.csv"),
    ])
    func replayNamesWhatIsWrongAndExitsWithCodeTwo(options: [String], message: String) throws {
        let arguments = options.contains("--trace") ? options : options + ["--trace", Self.trace]
        let result = try CLITests.run(["replay"] + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func serveNamesABadScenarioAndExitsWithCodeTwo() throws {
        let result = try CLITests.run(["serve", "--scenario", "/nonexistent/scenario.yaml"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("/nonexistent/scenario.yaml"), "\(result.standardError)")
    }

    @Test func simulateAndReplayShareRateScaling() throws {
        let directory = try TemporaryDirectory()
        let lines = try String(contentsOfFile: SharedData.packageFile(Self.trace), encoding: .utf8)
            .split(whereSeparator: \.isNewline)
        let slice = try directory.write("slice.csv", lines.prefix(21).joined(separator: "\n") + "\n")
        func duration(_ extra: [String]) throws -> Double {
            let json = "\(directory.path)/\(extra.joined()).json"
            let result = try CLITests.run(["simulate", "--trace", slice, "--json", json] + extra)
            #expect(result.status == 0, "\(result.standardError)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
            return (report as? [String: Any])?["duration"] as? Double ?? .nan
        }
        let own = try duration([])
        let doubled = try duration(["--rate-scale", "2"])
        // The arrivals come twice as fast: the last one, 15 s into the slice, arrives 7.5 s earlier.
        #expect(own - doubled > 5, "\(own) s at its own pace, \(doubled) s at twice the rate")
    }
}
