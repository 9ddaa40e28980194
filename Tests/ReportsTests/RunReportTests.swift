import Deployment
import Foundation
import MoECore
import TestSupport
import Testing

@testable import Reports

@Suite struct RunReportTests {
    static func report(objectives: Bool = true) throws -> RunReport {
        var scenario = try Scenario.load(file: SharedData.packageFile("Simulations/default.yaml"))
        if !objectives { scenario.slo = ScenarioSLO() }
        let plan = try DeploymentPlan(scenario: scenario)
        var metrics = ServingMetrics(objectives: scenario.slo)
        for index in 0..<4 {
            let arrival = Double(index)
            metrics.record(
                RequestRecord(
                    id: RequestID(UInt64(index)), arrival: .seconds(arrival), promptTokens: 1000,
                    cachedPromptTokens: 256,
                    outputTokens: 101, scheduledAt: .seconds(arrival), firstTokenAt: .seconds(arrival + 0.3),
                    endedAt: .seconds(arrival + 4.3), outcome: .completed, instance: index % 2))
            metrics.recordInterTokenGaps(.milliseconds(40), count: 100)
        }
        var series = UtilizationSeries(plan: plan)
        var cost = CostAccount(plan: plan)
        for instance in 0..<2 {
            series.add(
                instance: instance, start: .zero, duration: .seconds(5),
                sample: StepSample(
                    sequences: 2, kvUsage: 0.1, mfu: 0.2, hbmBandwidthUtilization: 0.5, linkUtilization: 0.05,
                    prefillTokens: 2000, outputTokens: 202))
            cost.add(instance: instance, StepPhaseTimes(prefill: .seconds(1), decode: .seconds(4), prefixLoad: .zero))
        }
        return RunReport(
            context: RunReport.Context(plan: plan, seed: 42), metrics: metrics, utilization: series, cost: cost,
            instanceActivity: [
                .init(completed: 2, preemptions: 0, steps: 10), .init(completed: 2, preemptions: 1, steps: 9),
            ],
            rejectionsByReason: [:], counters: ["events": 12])
    }

    @Test func theJSONHasVLLMsKeysAndTheClusterFigures() throws {
        let object = try Self.report().jsonObject()
        let required = [
            "duration", "completed", "failed", "total_input_tokens", "total_output_tokens", "request_throughput",
            "output_throughput", "total_token_throughput", "request_goodput", "rejected", "utilization",
            "throughput_per_node", "cost", "cache_hit_rate",
        ]
        for key in required { #expect(object[key] != nil, "missing \(key)") }
        for metric in ["ttft", "tpot", "itl", "e2el"] {
            for statistic in ["mean", "median", "p99"] {
                #expect(object["\(statistic)_\(metric)_ms"] is Double, "\(statistic)_\(metric)_ms")
            }
        }
        let utilization = try #require(object["utilization"] as? [String: Any])
        for key in ["mean_mfu", "mean_hbm_bandwidth_utilization", "mean_kv_usage"] {
            #expect(utilization[key] is Double, "utilization.\(key)")
        }
        let throughput = try #require(object["throughput_per_node"] as? [String: Any])
        #expect(throughput["prefill_input_tokens_per_s"] is Double)
        #expect(throughput["decode_output_tokens_per_s"] is Double)
        let cost = try #require(object["cost"] as? [String: Any])
        for key in [
            "usd_total", "usd_per_million_input_tokens", "usd_per_million_cached_input_tokens",
            "usd_per_million_output_tokens",
        ] {
            #expect(cost[key] is Double, "cost.\(key)")
        }
        #expect(cost["basis"] as? String == "allocation")
        #expect(object["duration"] as? Double == 7.3)
        #expect(object["completed"] as? Int == 4)
        #expect(object["cache_hit_rate"] as? Double == 0.256)
        #expect(object["mean_itl_ms"] as? Double == 40)
        #expect(object["median_ttft_ms"] as? Double == 300)
    }

    @Test func theSameReportGivesTheSameBytesWithSortedKeys() throws {
        let first = try Self.report().jsonData()
        let second = try Self.report().jsonData()
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        let topLevel = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
            String($0.dropFirst(3).prefix { $0 != "\"" })
        }
        #expect(topLevel == topLevel.sorted())
        #expect(text.hasSuffix("}\n"))
    }

    @Test func goodputIsNullWithoutObjectives() throws {
        let object = try Self.report(objectives: false).jsonObject()
        #expect(object["request_goodput"] is NSNull)
    }

    @Test func theSummaryShowsTheVLLMSectionsAndTheInstances() throws {
        let text = try Self.report().summaryText()
        for needle in [
            "Serving Benchmark Result", "Successful requests:", "Mean TTFT (ms):", "P99 ITL (ms):",
            "Mean MFU:", "Per M output tokens:", "Margin vs DeepSeek API", "colocated-1",
        ] {
            #expect(text.contains(needle), "\(needle)")
        }
    }

    @Test func theTimeSeriesAreWrittenPerInstanceAndPerDevice() throws {
        let directory = try TemporaryDirectory()
        let series = try #require(try Self.report().utilization)
        let paths = try TimeSeriesCSV.write(series, to: directory.path + "/series")
        let instances = try String(contentsOfFile: paths[0], encoding: .utf8).split(separator: "\n")
        let devices = try String(contentsOfFile: paths[1], encoding: .utf8).split(separator: "\n")
        #expect(instances.first == Substring(TimeSeriesCSV.instanceColumns.joined(separator: ",")))
        #expect(instances.count == 1 + 5 * 2)  // five one-second buckets, two instances
        #expect(devices.count == 1 + 5 * 32)  // and 32 devices
        #expect(instances[1].hasPrefix("0,1,colocated-0,colocated,16,1,2,0.1,0.2,0.5,0.05,400,40.4,1"))
        #expect(devices[1].hasPrefix("0,1,0,0,colocated-0,0.125,0.1,1,0.5,0.2,1"))
    }
}

@Suite struct RunReportHTMLTests {
    @Test func thePageHasTheLatencyUtilizationCostAndBalanceSectionsWithTheirCharts() throws {
        let page = try RunReportTests.report().htmlPage()
        let titles = page.sections.map(\.title)
        #expect(
            titles == [
                "Summary", "Latency distributions", "Utilization over time", "Nodes provisioned", "Cost by phase",
                "Expert balance",
            ])
        let html = page.render()
        // Three latency charts, four utilization charts, nodes and cost; the balanced profile needs no heat map.
        #expect(html.components(separatedBy: "<svg").count - 1 == 9)
        #expect(html.contains("expert-load profile is balanced"))
        #expect(html.contains("median / p99 TTFT (ms)"))
    }

    @Test func aCumulativeDistributionRisesFromTheSmallestToTheLargestValue() {
        var distribution = LatencyDistribution()
        for value in 1...100 { distribution.record(.milliseconds(Double(value))) }
        let points = RunReport.cdf(distribution)
        #expect(points.first?.x == 1 && points.first?.y == 0)
        #expect(points.last?.x == 100 && points.last?.y == 1)
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.x <= $1.x && $0.y <= $1.y })
    }

    @Test func aLogarithmicAxisTicksAtPowersOfTen() {
        let svg = SVGChart.lineChart(
            [SVGChart.Series(name: "TTFT", points: [(3, 0), (450, 0.5), (12_000, 1)])],
            frame: .init(xTitle: "ms", yTitle: "fraction", xLogarithmic: true))
        for label in ["1", "10", "100", "1000", "10k", "100k"] {
            #expect(svg.contains(">\(label)</text>"), "missing tick \(label)")
        }
    }
}
