import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

@Suite struct ServeGenWorkloadTests {
    static func deepSeekR1() throws -> String { try TraceFixtures.shared("servegen/reason/deepseek-r1") }

    @Test(.requiresSharedData) func expectedRequestsMatchThePublishedTotal() throws {
        let workload = try ServeGenWorkload(directory: try Self.deepSeekR1())
        // SOURCE.md: 73 clients, Σ rate × window = 1,383,669 expected requests over 24 h.
        #expect(workload.clients.count == 73)
        #expect(abs(workload.expectedRequests - 1_383_669) < 1)
        #expect(workload.clients.allSatisfy { !$0.usesFallbackLengths })
    }

    @Test(.requiresSharedData) func aScaledDayHitsItsExpectedCountAndThePublishedLengthMix() throws {
        var workload = try ServeGenWorkload(
            directory: try Self.deepSeekR1(), options: ServeGenOptions(seed: 1, rateScale: 0.05))
        let expected = workload.expectedRequests
        let requests = try TraceFixtures.drain(&workload)
        let totals = Totals(requests)
        #expect(abs(Double(totals.count) / expected - 1) < 0.03)
        // SOURCE.md request-weighted mixture: mean input 1,268, mean output 1,527.
        #expect(abs(totals.meanPrompt / 1_268 - 1) < 0.05)
        #expect(abs(totals.meanOutput / 1_527 - 1) < 0.05)
        #expect(requests.last!.arrival < .seconds(86_400))
        #expect(workload.clampedZeroLengths == 0)
    }

    @Test(.requiresSharedData) func theSameSeedGivesTheSameRequests() throws {
        func first(_ seed: UInt64) throws -> [RequestSpec] {
            var workload = try TransformedSource(
                ServeGenWorkload(
                    directory: try Self.deepSeekR1(), options: ServeGenOptions(seed: seed, clients: [0, 1, 2, 5])),
                transform: WorkloadTransform(limit: 2_000))
            return try TraceFixtures.drain(&workload)
        }
        #expect(try first(3) == first(3))
        #expect(try first(3) != first(4))
    }

    @Test(.requiresSharedData) func startSkipsThePartOfTheDayBeforeIt() throws {
        let folder = try Self.deepSeekR1()
        // Client 0 sends about 4,926 requests, all before noon; client 1 sends about 5,202 after noon.
        let noon = ServeGenOptions(clients: [0, 1], start: .seconds(12 * 3600))
        var later = try ServeGenWorkload(directory: folder, options: noon)
        #expect(later.clients.map(\.chunk) == [0, 1])
        #expect(later.clients[0].expectedRequests == 0)
        #expect(abs(later.clients[1].expectedRequests - 5_202) < 1)
        let requests = try TraceFixtures.drain(&later)
        #expect(abs(Double(requests.count) / 5_202 - 1) < 0.1)
        #expect(requests.allSatisfy { $0.arrival >= .zero && $0.arrival < .seconds(12 * 3600) })
    }

    @Test func aRenewalWindowHitsItsRateAndCV() throws {
        // One client, six windows at 20 req/s with gamma gaps of shape 0.25 (CV 2), then one idle window.
        var rows = (0..<6).map { "\($0 * 600),20,2.0,Gamma,0.25,0.2\n" }.joined()
        rows += "3600,0,0,,0,0\n"
        let trace = try TraceFixtures.scratchFile("chunk-7-trace.csv", rows)
        let folder = (trace as NSString).deletingLastPathComponent
        var workload = try ServeGenWorkload(
            directory: folder, options: ServeGenOptions(fallbackLengths: .fixed(promptTokens: 5, outputTokens: 5)))
        #expect(workload.expectedRequests == 72_000)
        let arrivals = try TraceFixtures.drain(&workload).map(\.arrival.seconds)
        #expect(abs(Double(arrivals.count) / 72_000 - 1) < 0.03)
        #expect(arrivals.last! < 3600)
        let gaps = zip(arrivals, arrivals.dropFirst()).map { $1 - $0 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let deviation = (gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count)).squareRoot()
        #expect(abs(deviation / mean / 2 - 1) < 0.1)
    }

    @Test(.requiresSharedData) func clientsWithoutLengthsNeedAFallback() throws {
        let folder = try TraceFixtures.shared("servegen/language/m-small")
        let error = #expect(throws: WorkloadError.self) {
            try ServeGenWorkload(directory: folder, options: ServeGenOptions(clients: [0, 1]))
        }
        #expect(error?.description.contains("have no length PMFs") == true)
        var workload = try ServeGenWorkload(
            directory: folder,
            options: ServeGenOptions(clients: [0, 1], fallbackLengths: .fixed(promptTokens: 100, outputTokens: 20)))
        #expect(workload.clients.allSatisfy { $0.usesFallbackLengths })
        let request = try #require(try workload.next())
        #expect(request.promptTokens == 100)
    }

    @Test func aMalformedWindowNamesTheFileAndLine() throws {
        let trace = try TraceFixtures.scratchFile("chunk-3-trace.csv", "0,1,1,Gamma,1,1\n600,2,1,Lognormal,1,1\n")
        let folder = (trace as NSString).deletingLastPathComponent
        let error = #expect(throws: WorkloadError.self) {
            try ServeGenWorkload(
                directory: folder, options: ServeGenOptions(fallbackLengths: .fixed(promptTokens: 1, outputTokens: 1)))
        }
        #expect(
            error
                == .malformedRow(
                    path: trace, line: 2,
                    message: "expected Gamma or Weibull in column 4 for a window with rate 2.0, found \"Lognormal\""))
    }

    @Test(.requiresSharedData) func gzipFilesAreStreamedThroughGzip() throws {
        let windows = try ServeGenWindow.readAll(path: try Self.deepSeekR1() + "/chunk-0-trace.csv.gz")
        #expect(windows.count == 144)
        let corrupt = try TraceFixtures.scratchFile("chunk-0-trace.csv.gz", "not gzip at all")
        #expect(throws: WorkloadError.self) { try ServeGenWindow.readAll(path: corrupt) }
    }
}

@Suite struct ServeGenInputTests {
    @Test func anIdleClientWithoutLengthsIsListedButNeedsNoFallback() throws {
        let busy = try TraceFixtures.scratchFile("chunk-1-trace.csv", "0,2,1,Gamma,1,0.5\n")
        let folder = (busy as NSString).deletingLastPathComponent
        try "0,0,0,,0,0\n".write(toFile: folder + "/chunk-2-trace.csv", atomically: true, encoding: .utf8)
        try #"{"0": {"input_tokens": "{10: 1.0}", "output_tokens": "{0: 0.5, 4: 0.5}"}}"#.write(
            toFile: folder + "/chunk-1-dataset.json", atomically: true, encoding: .utf8)
        var workload = try ServeGenWorkload(directory: folder)
        #expect(workload.clients.map(\.chunk) == [1, 2])
        #expect(workload.clients.map(\.usesFallbackLengths) == [false, true])
        let requests = try TraceFixtures.drain(&workload)
        #expect(abs(Double(requests.count) / 1_200 - 1) < 0.1)
        #expect(requests.allSatisfy { $0.promptTokens == 10 && ($0.outputTokens == 1 || $0.outputTokens == 4) })
        #expect(workload.clampedZeroLengths == requests.filter { $0.outputTokens == 1 }.count)
        #expect(workload.clampedZeroLengths > 0)
    }

    @Test func aMalformedPMFNamesTheFileAndKey() throws {
        let trace = try TraceFixtures.scratchFile("chunk-1-trace.csv", "0,2,1,Gamma,1,0.5\n")
        let folder = (trace as NSString).deletingLastPathComponent
        let dataset = folder + "/chunk-1-dataset.json"
        try #"{"0": {"input_tokens": "{10: x}", "output_tokens": "{1: 1.0}"}}"#.write(
            toFile: dataset, atomically: true, encoding: .utf8)
        let error = #expect(throws: WorkloadError.self) { try ServeGenWorkload(directory: folder) }
        #expect(
            error?.description.hasPrefix("\(dataset): 0.input_tokens: invalid PMF: expected value: probability") == true
        )
    }

    @Test func anEmptyTraceFileIsAnError() throws {
        let trace = try TraceFixtures.scratchFile("chunk-1-trace.csv", "")
        let folder = (trace as NSString).deletingLastPathComponent
        #expect(
            throws: WorkloadError.malformedRow(
                path: trace, line: 1, message: "expected at least one window, found none")
        ) {
            try ServeGenWorkload(
                directory: folder, options: ServeGenOptions(fallbackLengths: .fixed(promptTokens: 1, outputTokens: 1)))
        }
    }
}
