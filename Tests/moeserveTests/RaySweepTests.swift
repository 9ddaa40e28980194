import Foundation
import TestSupport
import Testing

/// `Simulations/ray_sweep.py` on a local Ray instance gathers the same CSV as `moeserve sweep` writes.
@Suite struct RaySweepTests {
    /// Whether `python3` can import `ray` (installed by `.ci/run`; absent, the test says so and is skipped).
    static let rayIsInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import ray"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: rayIsInstalled, "python3 cannot import ray (pip install ray; .ci/run installs it)"))
    func theRayDriverGathersTheCSVMoeserveWritesAndMoeserveResumesFromIt() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sweep = SweepCommandTests.scenario + SweepCommandTests.knobs
        let rayCSV = "\(directory)/ray.csv"
        let driver = try CommandOutput.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "Simulations/ray_sweep.py", "--moeserve", try BuiltProducts.executable("moeserve").path,
                "--csv", rayCSV, "--num-cpus", "2", "--",
            ] + sweep)
        #expect(driver.status == 0, "\(driver.standardError)")

        let localCSV = "\(directory)/local.csv"
        #expect(try CLITests.run(["sweep"] + sweep + ["--csv", localCSV]).status == 0)
        let ray = try String(contentsOfFile: rayCSV, encoding: .utf8)
        #expect(ray.split(separator: "\n").count == 5)
        #expect(ray == (try String(contentsOfFile: localCSV, encoding: .utf8)))
        let resumed = try CLITests.run(["sweep"] + sweep + ["--csv", rayCSV])
        #expect(resumed.standardOutput.contains("(0 simulated, 4 from the CSV"), "\(resumed.standardOutput)")
    }
}
