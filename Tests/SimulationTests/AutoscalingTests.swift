import Deployment
import MoECore
import Reports
import Simulation
import TestSupport
import Testing

/// Instances provisioned and released over time: a fixed schedule, and a load-driven controller.
@Suite struct AutoscalingTests {
    /// The default cluster (two EP16 instances on four nodes) serving a twenty-minute "day" of Azure-length
    /// requests that starts and ends at night, with `autoscale` on its instance group.
    static func shortDay(autoscale: String, rate: Double = 3, in directory: TemporaryDirectory) throws -> Scenario {
        try scenario(
            yaml: """
                name: short-day
                seed: 5
                model: deepseek-v3
                cluster: {host: hgx-h800, nodes: 4}
                deployment:
                  instances:
                    - role: colocated
                      count: 2
                      devices_per_instance: 16
                      ep: 16
                      redundant_experts: 16
                      micro_batches: 2
                \(autoscale)
                workload:
                  generator:
                    kind: diurnal
                    rate: \(rate)
                    amplitude: 0.9
                    period_s: 1200
                    lengths: \(SharedDataPaths.azureSlice)
                  duration_s: 1200
                slo: {ttft_ms: 2000, tpot_ms: 50}
                prices: {devices: {h800: 2.0}}
                """, in: directory)
    }

    /// One instance by night (the first and last five minutes), two by day.
    static let nightSchedule = """
              autoscale:
                schedule:
                  - {at_h: 0, instances: 1}
                  - {at_h: 0.0833, instances: 2}
                  - {at_h: 0.25, instances: 1}
                period_h: 0.3333
                warmup_s: 60
        """

    @Test func theNightScheduleLowersTheAllocationBasedCost() throws {
        let directory = try TemporaryDirectory()
        let fixed = try simulate(try Self.shortDay(autoscale: "", in: directory))
        let scheduled = try simulate(try Self.shortDay(autoscale: Self.nightSchedule, in: directory))
        expectConservation(fixed)
        expectConservation(scheduled)
        #expect(scheduled.report.metrics.completed == scheduled.report.metrics.arrived)
        let day = try #require(fixed.report.costSummary(.allocation)).total.amount
        let night = try #require(scheduled.report.costSummary(.allocation)).total.amount
        print("allocation cost fixed \(day), with the night schedule \(night)")
        // Two of the four nodes are lent out for about half of the run.
        #expect(night < day * 0.85, "fixed $\(day), scheduled $\(night)")
        let nodes = try #require(scheduled.report.nodesOverTime)
        #expect(nodes.first?.nodes == 2)
        #expect(nodes.contains { $0.nodes == 4 && abs($0.time.seconds - 300) < 1 })
        #expect(nodes.last?.nodes == 2)
        let scaling = try #require(scheduled.report.dynamics?.scaling)
        #expect(scaling.scaleOuts == 1 && scaling.scaleIns == 1)
        // The instance provisioned at 300 s serves from the end of its warm-up only.
        let second = scheduled.records.filter { $0.instance == 1 }
        #expect(!second.isEmpty && second.allSatisfy { $0.arrival.seconds >= 360 })
    }

    @Test func aLoadDrivenGroupReleasesAnIdleInstanceAndProvisionsItAgainUnderLoad() throws {
        let directory = try TemporaryDirectory()
        let run = try simulate(
            try Self.shortDay(
                autoscale: """
                          autoscale:
                            min_instances: 1
                            target_queue_delay_ms: 100
                            target_kv_usage: 0.08
                            interval_s: 30
                            scale_in_delay_s: 120
                            warmup_s: 60
                    """, rate: 8, in: directory))
        expectConservation(run)
        #expect(run.report.metrics.completed == run.report.metrics.arrived)
        let scaling = try #require(run.report.dynamics?.scaling)
        print("load-driven: \(scaling.scaleIns) scale-ins, \(scaling.scaleOuts) scale-outs")
        #expect(scaling.scaleIns >= 1 && scaling.scaleOuts >= 1)
        let nodes = try #require(run.report.nodesOverTime)
        #expect(nodes.contains { $0.nodes == 2 } && nodes.contains { $0.nodes == 4 })
        let capacity = try #require(run.report.cost?.capacity)
        #expect(capacity.meanNodes(until: .zero + run.report.metrics.duration) < 4)
    }

    @Test func aScheduleMustStartAtZeroAndStayWithinItsGroup() throws {
        let directory = try TemporaryDirectory()
        for (autoscale, key) in [
            ("autoscale: {schedule: [{at_h: 1, instances: 1}]}", "schedule[0].at_h"),
            ("autoscale: {schedule: [{at_h: 0, instances: 3}]}", "schedule[0].instances"),
            ("autoscale: {warmup_s: 10}", "autoscale"),
            ("autoscale: {schedule: [{at_h: 0, instances: 1}], target_kv_usage: 0.8}", "target_kv_usage"),
        ] {
            #expect {
                try Self.shortDay(autoscale: "      " + autoscale, in: directory)
            } throws: { error in
                guard let error = error as? InputFileError else { return false }
                return error.keyPath.hasSuffix(key)
            }
        }
    }
}
