import Foundation

/// Decompresses a `.gz` file by running `gzip -dc` and exposing its standard output as a pipe.
///
/// Foundation on Linux has no gunzip, and a zlib system-library target would make every build depend
/// on `zlib1g-dev` headers. `gzip` is an essential Debian package (and standard on macOS), and
/// streaming its stdout keeps memory flat. Only the ServeGen statistics are compressed.
final class GzipDecompressor {
    /// The compressed file.
    let path: String
    private let process: Process
    private let output: Pipe
    private let errors: Pipe

    /// Where the decompressor is looked for, first match wins.
    static let candidates = ["/bin/gzip", "/usr/bin/gzip"]

    /// Starts `gzip -dc path`.
    init(path: String) throws {
        self.path = path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw WorkloadError.unreadable(path: path, reason: "no such readable file")
        }
        guard let executable = Self.candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw WorkloadError.unreadable(path: path, reason: "gzip not found at \(Self.candidates)")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-dc", path]
        output = Pipe()
        errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw WorkloadError.unreadable(path: path, reason: "cannot run \(executable): \(error)")
        }
    }

    /// The read end of gzip's standard output.
    var outputDescriptor: Int32 { output.fileHandleForReading.fileDescriptor }

    /// Waits for gzip to exit after its output was read to the end; throws if it failed (corrupt input).
    func finish() throws {
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw WorkloadError.unreadable(
                path: path,
                reason: "gzip exited with status \(process.terminationStatus): "
                    + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
