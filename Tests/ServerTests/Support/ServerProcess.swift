import Foundation
import Synchronization
import TestSupport
import Testing

/// A `moeserve serve` process on a free loopback port, for tests that talk to the built binary.
final class ServerProcess: Sendable {
    /// The process.
    let process: Process
    /// The port it listens on (read from its listening line).
    let port: Int
    private let output: OutputCollector

    /// Starts `moeserve serve --port 0` with `arguments` in the package root and waits for its listening line.
    init(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        process = Process()
        process.executableURL = try BuiltProducts.executable("moeserve")
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = SharedData.packageRoot
        output = OutputCollector()
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        output.collect(standardOutput, into: \.standardOutput)
        output.collect(standardError, into: \.standardError)
        try process.run()
        var port: Int?
        for _ in 0..<600 where port == nil && process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
            port = output.listeningPort
        }
        self.port = try #require(
            port, "moeserve serve did not report its port: \(output.text.standardError)", sourceLocation: sourceLocation
        )
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    var url: String { "http://127.0.0.1:\(port)" }

    /// What the process wrote so far.
    var text: (standardOutput: String, standardError: String) {
        let text = output.text
        return (text.standardOutput, text.standardError)
    }

    /// Its resident memory now, from `/proc` (Linux), in bytes.
    var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// Sends `signal`, waits up to `timeout` for the process to exit and returns its status (nil if it did
    /// not exit, after which it is killed).
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) async -> Int32? {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return await exitStatus(within: timeout)
    }

    /// Waits up to `timeout` for the process to exit and returns its status (nil if it did not, after which it
    /// is killed).
    func exitStatus(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Gathers a process's output as it is written.
private final class OutputCollector: Sendable {
    struct Text: Sendable {
        var standardOutput = ""
        var standardError = ""
    }

    private let state = Mutex(Text())

    func collect(_ pipe: Pipe, into field: WritableKeyPath<Text, String> & Sendable) {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.state.withLock { $0[keyPath: field] += String(decoding: data, as: UTF8.self) }
        }
    }

    var text: Text { state.withLock { $0 } }

    /// The port of the `listening on http://HOST:PORT` line, once printed.
    var listeningPort: Int? {
        let output = text.standardOutput
        guard let range = output.range(of: "listening on http://") else { return nil }
        let rest = output[range.upperBound...].prefix { $0 != "\n" }
        guard output[range.upperBound...].contains("\n"), let colon = rest.lastIndex(of: ":") else { return nil }
        return Int(rest[rest.index(after: colon)...])
    }
}
