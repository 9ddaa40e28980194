import Foundation
import MoECore
import Testing

@testable import Workload

/// Locates the public traces (`shared/traces`) and the shipped slices, and writes scratch files.
enum TraceFixtures {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Where `shared/traces` is looked for: `$MOESERVE_TRACES`, then `shared/` inside the package,
    /// beside it, and one level further up (git worktrees live one level deeper than the main checkout).
    static var sharedCandidates: [String] {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["MOESERVE_TRACES"] { candidates.append(override) }
        for relative in ["shared/traces", "../shared/traces", "../../shared/traces"] {
            candidates.append(packageRoot.appendingPathComponent(relative).standardizedFileURL.path)
        }
        return candidates
    }

    /// The shared traces folder; fails the calling test with the paths it tried when there is none.
    static func shared(_ relative: String) throws -> String {
        let folder = sharedCandidates.first { FileManager.default.fileExists(atPath: "\($0)/README.md") }
        let found = try #require(
            folder,
            "shared/traces not found (tried \(sharedCandidates.joined(separator: ", "))); set MOESERVE_TRACES")
        return "\(found)/\(relative)"
    }

    /// A file of the shipped slice in `Simulations/traces`.
    static func shipped(_ name: String) -> String {
        packageRoot.appendingPathComponent("Simulations/traces/\(name)").path
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
