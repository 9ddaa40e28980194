import Foundation

/// Where a command finds its scenario when none is given.
enum DefaultScenario {
    /// The shipped default, relative to a package root.
    static let relativePath = "Simulations/default.yaml"

    /// `given`, or the shipped default: `Simulations/default.yaml` in the current folder or in the package that
    /// built this binary.
    /// - Throws: exit code 2 when no scenario is given and the default is not found.
    static func path(given: String?) throws -> String {
        if let given { return given }
        var candidates = [FileManager.default.currentDirectoryPath]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        for candidate in candidates {
            let path = (candidate as NSString).appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw inputError(
            "no --scenario given and \(relativePath) was not found (looked in \(candidates.joined(separator: ", ")))")
    }
}
