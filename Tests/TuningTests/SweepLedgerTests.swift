import Foundation
import MoECore
import TestSupport
import Testing
import Tuning

/// The sweep CSV: streamed as trials end, read back to resume, rewritten in the sweep's order.
@Suite struct SweepLedgerTests {
    static let configurations = (0..<8).map { Example.space.overrides(Example.space.configuration(at: $0 * 24)) }

    static func ledger(_ path: String, template: ScenarioTemplate = Example.template) throws -> SweepLedger {
        try SweepLedger(
            path: path, fingerprint: SweepLedger.fingerprint(of: template), keyPaths: Example.space.keyPaths)
    }

    @Test func anInterruptedSweepResumesFromItsCSVAndEndsWithTheSameBytes() throws {
        let directory = try TemporaryDirectory()
        let whole = "\(directory.path)/whole.csv"
        let runner = Example.runner(ledger: try Self.ledger(whole))
        let trials = try runner.run(Self.configurations)
        try runner.finishLedger()
        let expected = try String(contentsOfFile: whole, encoding: .utf8)
        #expect(expected.split(separator: "\n").count == 9)

        // An interruption: three rows written in completion order, then a fourth cut short.
        let lines = expected.split(separator: "\n")
        let partial = [lines[0], lines[6], lines[2], lines[4]].joined(separator: "\n") + "\n" + lines[5].prefix(30)
        let interrupted = "\(directory.path)/interrupted.csv"
        try partial.write(toFile: interrupted, atomically: true, encoding: .utf8)
        let ledger = try Self.ledger(interrupted)
        #expect(ledger.resumedCount == 3)
        #expect(ledger.droppedPartialLine)
        let resumed = Example.runner(ledger: ledger)
        #expect(try resumed.run(Self.configurations) == trials)
        #expect(resumed.simulatedCount == 5)
        try resumed.finishLedger()
        #expect(try String(contentsOfFile: interrupted, encoding: .utf8) == expected)

        // Finished: nothing left to simulate.
        let again = Example.runner(ledger: try Self.ledger(interrupted))
        _ = try again.run(Self.configurations)
        #expect(again.simulatedCount == 0)
    }

    @Test func aCSVWrittenByAnotherSweepIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/sweep.csv"
        let runner = Example.runner(ledger: try Self.ledger(path))
        _ = try runner.run(Array(Self.configurations.prefix(2)))
        var otherObjectives = Example.template
        otherObjectives.slo = try ServiceObjectives.parse("ttft=1s,tpot=40ms")
        #expect {
            try Self.ledger(path, template: otherObjectives)
        } throws: { error in
            "\(error)".contains("written by another sweep") && "\(error)".contains("\(path):2")
        }
        let otherColumns = "\(directory.path)/columns.csv"
        try "sweep,scheduler.max_num_seqs,status\n".write(toFile: otherColumns, atomically: true, encoding: .utf8)
        #expect { try Self.ledger(otherColumns) } throws: { "\($0)".contains("header is not this sweep's") }
    }

    @Test func infeasibleTrialsKeepTheirReasonThroughTheCSV() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/sweep.csv"
        let space = try SweepSpace([SweepDimension(keyPath: "deployment.instances[0].ep", values: ["8", "16"])])
        let ledger = try SweepLedger(
            path: path, fingerprint: SweepLedger.fingerprint(of: Example.template), keyPaths: space.keyPaths)
        let runner = Example.runner(ledger: ledger)
        let trials = try SweepSearch.grid.run(space, runner: runner, objective: Example.objective)
        guard case .infeasible(let reason) = trials[1].outcome else {
            Issue.record("ep 16 on 8 devices should be infeasible: \(trials[1].outcome)")
            return
        }
        #expect(reason.contains("deployment.instances[0].ep"))
        try runner.finishLedger()
        let back = try SweepLedger(
            path: path, fingerprint: SweepLedger.fingerprint(of: Example.template), keyPaths: space.keyPaths)
        #expect(back.trial(for: trials[1].overrides) == trials[1])
        #expect(back.trial(for: trials[0].overrides) == trials[0])
    }
}
