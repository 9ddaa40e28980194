import Foundation
import Testing

/// The executables SwiftPM built for this test run (it builds every product before the tests).
public enum BuiltProducts {
    /// The executable `name` next to the test bundle (or in `.build/debug` of the package).
    /// - Throws: fails the calling test, listing the places tried, when it is not found.
    public static func executable(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let folders = [
            Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            SharedData.packageRoot.appendingPathComponent(".build/debug"),
        ]
        let candidates = folders.map { $0.appendingPathComponent(name) }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "\(name) not built (looked in \(candidates.map(\.path).joined(separator: ", ")))",
            sourceLocation: sourceLocation)
    }
}
