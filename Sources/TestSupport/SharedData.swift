import Foundation
import Testing

/// Finds the public reference data that lives beside the project (`shared/`: traces, expert loads,
/// calibration notes) and the package's own files, for tests.
///
/// `shared/` is looked for at `$MOESERVE_SHARED`, then beside the package, then one level further up
/// (git worktrees sit one level deeper than the main checkout). Tests that need it carry
/// ``Testing/Trait/requiresSharedData``, so a checkout without it skips them with that reason rather than
/// failing; everything the default demo needs ships inside the package instead.
public enum SharedData {
    /// The package root, from this file's path (`Sources/TestSupport/SharedData.swift`).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Where `shared/` is looked for, in order.
    public static var candidates: [String] {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["MOESERVE_SHARED"] { candidates.append(override) }
        for relative in ["../shared", "../../shared"] {
            candidates.append(packageRoot.appendingPathComponent(relative).standardizedFileURL.path)
        }
        return candidates
    }

    /// The `shared/` folder (one holding `traces/README.md`), or nil when there is none.
    public static let root: String? = candidates.first {
        FileManager.default.fileExists(atPath: "\($0)/traces/README.md")
    }

    /// Whether `shared/` was found.
    public static var isAvailable: Bool { root != nil }

    /// The path of `relative` inside `shared/traces`; fails the calling test, listing the places tried, when
    /// `shared/` is missing (tests that call it should carry ``Testing/Trait/requiresSharedData``).
    public static func trace(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let root = try #require(
            root, "shared/ not found (tried \(candidates.joined(separator: ", "))); set MOESERVE_SHARED",
            sourceLocation: sourceLocation)
        return "\(root)/traces/\(relative)"
    }

    /// The path of `relative` inside the package (a shipped scenario or trace slice).
    public static func packageFile(_ relative: String) -> String {
        packageRoot.appendingPathComponent(relative).path
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when `shared/` (the public traces beside the project) is present.
    public static var requiresSharedData: Self {
        .enabled(if: SharedData.isAvailable, "needs shared/ beside the package (or MOESERVE_SHARED)")
    }
}
