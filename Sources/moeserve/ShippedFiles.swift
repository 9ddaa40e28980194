import ArgumentParser
import Foundation

/// The path of a file shipped with the package (`Simulations/default.yaml`), for a command run without the
/// option that names it: looked for in the current folder, then beside the binary and up to four folders
/// above it (the package that built it).
/// - Throws: the exit code of bad input, naming `option` and the places looked in, when it is not found.
func shippedFile(_ relative: String, option: String) throws -> String {
    var candidates = [FileManager.default.currentDirectoryPath]
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(folder.path)
        folder = folder.deletingLastPathComponent()
    }
    for candidate in candidates {
        let path = (candidate as NSString).appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: path) { return path }
    }
    throw inputError(
        "no \(option) given and \(relative) was not found (looked in \(candidates.joined(separator: ", ")))")
}
