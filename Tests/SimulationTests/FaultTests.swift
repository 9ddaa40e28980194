import Deployment
import MoECore
import Reports
import Simulation
import TestSupport
import Testing

/// Devices, nodes and links lost during a run: instances stop, shrink or wait for the repair, and their
/// requests move elsewhere, never lost.
@Suite struct FaultTests {
    static func fault(_ target: ScenarioFaults.Target, at seconds: Double, repair: Double?) -> ScenarioFaults.Event {
        .init(at: .seconds(seconds), target: target, repair: repair.map { .seconds($0) })
    }

    @Test func aKilledNodeLosesNoRequest() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.faults.events = [Self.fault(.node(0), at: 120, repair: 180)]
        scenario.faults.restart = .seconds(60)
        let run = try simulate(scenario)
        expectConservation(run)
        let metrics = run.report.metrics
        #expect(metrics.completed == metrics.arrived && metrics.failed == 0 && metrics.rejected == 0)
        let faults = try #require(run.report.dynamics?.faults)
        print("node fault: \(faults)")
        #expect(faults.failures == 1 && faults.repairs == 1)
        // Node 0 holds half of instance 0 (EP16 over two nodes): 8 devices cannot hold 256 experts in 17 slots
        // each, so it stops until the repair, then restarts whole.
        #expect(faults.instancesStopped == 1 && faults.instancesRestarted == 1 && faults.instancesShrunk == 0)
        #expect(faults.requestsRequeued + faults.requestsReprefilled > 10)
        // While instance 0 is down, instance 1 serves every arrival.
        let down = run.records.filter { $0.arrival.seconds > 121 && $0.arrival.seconds < 300 }
        #expect(!down.isEmpty && down.allSatisfy { $0.instance == 1 })
        #expect(run.records.contains { $0.instance == 0 && $0.arrival.seconds > 370 })
    }

    @Test func anExpertParallelInstanceShrinksOntoItsSurvivingDevicesAndRecoversAfterTheRepair() throws {
        var scenario = try shippedScenario("deepseek-v3-h800-ep144.yaml")
        scenario.workload.limit = 600
        scenario.faults.events = [Self.fault(.device(70), at: 5, repair: 12)]
        scenario.faults.restart = .seconds(2)
        let run = try simulate(scenario)
        expectConservation(run)
        let metrics = run.report.metrics
        #expect(metrics.completed == metrics.arrived && metrics.failed == 0)
        let faults = try #require(run.report.dynamics?.faults)
        print("device fault on EP144: \(faults)")
        // Elastic EP: 143 devices keep two slots each (286 >= 256 experts); after the repair the instance
        // drains, is rebuilt at full size and restarts again.
        #expect(faults.instancesStopped == 1 && faults.instancesShrunk == 1 && faults.instancesRestarted == 2)
        #expect(faults.requestsReprefilled > 0)
    }

    @Test func aLostNICStopsAnInstanceWhoseExpertsTalkOverNICsOnly() throws {
        var multiNode = try shippedScenario("default.yaml")
        multiNode.workload.limit = 200
        multiNode.faults.events = [Self.fault(.nic(device: 3), at: 20, repair: 30)]
        multiNode.faults.restart = .seconds(10)
        let stopped = try simulate(multiNode)
        expectConservation(stopped)
        #expect(try #require(stopped.report.dynamics?.faults).instancesStopped == 1)
        var oneNode = try shippedScenario("qwen3-235b-h20.yaml")
        oneNode.workload.limit = 200
        oneNode.faults.events = [Self.fault(.nic(device: 3), at: 5, repair: nil)]
        let untouched = try simulate(oneNode)
        expectConservation(untouched)
        let faults = try #require(untouched.report.dynamics?.faults)
        #expect(faults.failures == 1 && faults.instancesStopped == 0)
    }

    @Test func seededFailureRatesGiveTheSameFaultsForTheSameSeed() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.workload.limit = 500
        scenario.faults.deviceMTBF = .seconds(1000)
        scenario.faults.repair = .seconds(30)
        scenario.faults.restart = .seconds(10)
        let first = try simulate(scenario)
        let second = try simulate(scenario)
        expectConservation(first)
        #expect(first.report.jsonData() == second.report.jsonData())
        let faults = try #require(first.report.dynamics?.faults)
        print("seeded device failures: \(faults)")
        #expect(faults.failures > 2 && first.report.metrics.failed == 0)
        let other = try simulate(scenario, seed: 99)
        #expect(other.report.jsonData() != first.report.jsonData())
    }

    @Test func anInstanceThatNeverComesBackFailsWhatItCannotPassOnWithAReason() throws {
        var scenario = try shippedScenario("deepseek-v3-h800-ep144.yaml")
        scenario.workload.limit = 100
        scenario.faults.events = [Self.fault(.node(0), at: 1, repair: nil), Self.fault(.node(1), at: 1, repair: nil)]
        // Two nodes lost leave 128 devices with 256 slots: elastic EP still holds every expert.
        let run = try simulate(scenario)
        expectConservation(run)
        #expect(run.report.metrics.completed == 100)
        scenario.faults.events = (0..<10).map { Self.fault(.node($0), at: 1, repair: nil) }
        let broken = try simulate(scenario)
        expectConservation(broken)
        // 64 devices cannot hold 256 experts in two slots each: the only instance stays down.
        let failed = broken.records.filter {
            if case .failed(let reason) = $0.outcome { return reason.contains("no colocated instance was left") }
            return false
        }
        #expect(!failed.isEmpty && failed.count + broken.report.metrics.completed == 100)
    }

    @Test func faultsOutsideTheClusterAreRejectedWithTheirKeyPath() throws {
        let directory = try TemporaryDirectory()
        #expect {
            try scenario(
                yaml: """
                    name: bad
                    model: deepseek-v3
                    cluster: {host: hgx-h800, nodes: 2}
                    deployment: {instances: [{role: colocated, count: 1, devices_per_instance: 16}]}
                    workload: {trace: "{slice}"}
                    faults: {events: [{at_s: 10, node: 2}]}
                    """, in: directory)
        } throws: { error in
            (error as? InputFileError)?.keyPath == "faults.events[0].node"
        }
    }
}
