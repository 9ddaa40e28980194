import Dispatch
import Foundation
import Testing

/// What a finished command printed and how it exited.
public struct CommandOutput: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to standard output.
    public let standardOutput: String
    /// Everything written to standard error.
    public let standardError: String

    /// Runs `executable` with `arguments` in `directory` (the package root by default) and waits for it; both
    /// outputs are read as they are written, so a chatty command cannot block on a full pipe.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL = SharedData.packageRoot
    ) throws -> CommandOutput {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Standard error is read on a thread of its own (not a Dispatch worker: blocking one for the command's
        // life would starve the queues that engines under test run on) while this one reads standard output.
        let errorData = ReadBuffer()
        let reading = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errorData.data = error.fileHandleForReading.readDataToEndOfFile()
            reading.signal()
        }
        let standardOutput = output.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return CommandOutput(
            status: process.terminationStatus, standardOutput: String(decoding: standardOutput, as: UTF8.self),
            standardError: String(decoding: errorData.data, as: UTF8.self))
    }
}

/// Bytes one thread reads and another takes once a semaphore says the reading is done (the semaphore orders
/// the accesses).
private final class ReadBuffer: @unchecked Sendable {
    var data = Data()
}

extension CommandOutput {
    /// ``run(_:_:in:)`` on a thread of its own, so that a long command does not hold one of the few threads
    /// async tests share.
    public static func running(
        _ executable: URL, _ arguments: [String], in directory: URL = SharedData.packageRoot
    ) async throws -> CommandOutput {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(executable, arguments, in: directory) })
            }
        }
    }
}

extension BuiltProducts {
    /// Runs the built executable `name` with `arguments` in the package root and waits for it.
    public static func run(_ name: String, _ arguments: [String]) throws -> CommandOutput {
        try CommandOutput.run(executable(name), arguments)
    }

    /// Runs the built executable `name` with `arguments` in the package root, on a thread of its own.
    public static func running(_ name: String, _ arguments: [String]) async throws -> CommandOutput {
        try await CommandOutput.running(executable(name), arguments)
    }
}
