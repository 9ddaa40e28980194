import Foundation
import MoECore
import Testing

@testable import Workload

@Suite struct TransformedSourceTests {
    static func slice() throws -> AzureTraceReader {
        try AzureTraceReader(path: TraceFixtures.shipped("AzureLLMInferenceTrace_conv_first10min.csv"))
    }

    @Test func timeScaleMultipliesEveryInterArrivalTime() throws {
        var plain = try Self.slice()
        var halved = try TransformedSource(try Self.slice(), transform: WorkloadTransform(timeScale: 0.5))
        let original = try TraceFixtures.drain(&plain)
        let scaled = try TraceFixtures.drain(&halved)
        #expect(scaled.count == original.count)
        for (a, b) in zip(original, scaled) {
            #expect(abs(b.arrival.nanosecondsSinceStart * 2 - a.arrival.nanosecondsSinceStart) <= 1)
            #expect(a.id == b.id && a.promptTokens == b.promptTokens)
        }
    }

    @Test func aRateMultiplierOfTwoHalvesTheSpan() throws {
        var doubled = try TransformedSource(try Self.slice(), transform: .rateMultiplier(2))
        let requests = try TraceFixtures.drain(&doubled)
        #expect(requests.last!.arrival < .seconds(300))
        #expect(requests.last!.arrival > .seconds(299))
    }

    @Test func limitAndDurationStopTheStream() throws {
        var limited = try TransformedSource(try Self.slice(), transform: WorkloadTransform(limit: 10))
        #expect(try TraceFixtures.drain(&limited).count == 10)
        var minute = try TransformedSource(try Self.slice(), transform: WorkloadTransform(duration: .seconds(60)))
        let requests = try TraceFixtures.drain(&minute)
        #expect(requests.allSatisfy { $0.arrival < .seconds(60) })
        var all = try Self.slice()
        #expect(requests.count == (try TraceFixtures.drain(&all)).filter { $0.arrival < .seconds(60) }.count)
    }

    @Test func impossibleTransformsAreRejected() throws {
        #expect(throws: WorkloadError.self) {
            try TransformedSource(try Self.slice(), transform: WorkloadTransform(timeScale: 0))
        }
        #expect(throws: WorkloadError.self) {
            try TransformedSource(try Self.slice(), transform: WorkloadTransform(limit: -1))
        }
    }
}
