import Foundation
import MoECore
import TestSupport
import Testing

@testable import Workload

/// Locates the public traces (`shared/traces`) and the shipped slices, and writes scratch files.
enum TraceFixtures {
    /// A file of `shared/traces`; tests that call it carry `.requiresSharedData`.
    static func shared(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try SharedData.trace(relative, sourceLocation: sourceLocation)
    }

    /// A file of the shipped slice in `Simulations/traces`.
    static func shipped(_ name: String) -> String {
        SharedData.packageFile("Simulations/traces/\(name)")
    }

    /// Writes `text` to a fresh temporary file named `name` and returns its path.
    static func scratchFile(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "workload-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Every request of `source`, checking ids count up from 0 and arrivals never go back.
    static func drain(_ source: inout some RequestSource) throws -> [RequestSpec] {
        var requests: [RequestSpec] = []
        while let request = try source.next() {
            #expect(request.id.value == UInt64(requests.count))
            if let previous = requests.last { #expect(request.arrival >= previous.arrival) }
            requests.append(request)
        }
        return requests
    }
}

/// Sums and means of a request list, for comparison with a trace's published statistics.
struct Totals {
    var count = 0
    var promptTokens = 0
    var outputTokens = 0
    var prefixBlocks = 0

    init(_ requests: [RequestSpec]) {
        count = requests.count
        for request in requests {
            promptTokens += request.promptTokens
            outputTokens += request.outputTokens
            prefixBlocks += request.prefixBlockHashes.count
        }
    }

    var meanPrompt: Double { Double(promptTokens) / Double(count) }
    var meanOutput: Double { Double(outputTokens) / Double(count) }
}
