import ArgumentParser
import Deployment
import Foundation
import MoECore
import Simulation
import Tuning
import Workload

/// Runs `body`; bad input (a scenario or catalog file, a trace, a deployment that cannot be built or
/// simulated, a tuning option) is printed to standard error and ends the command with exit code 2.
func reportingInputErrors<Value>(_ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as InputFileError {
        throw inputError(error)
    } catch let error as WorkloadError {
        throw inputError(error)
    } catch let error as SimulationError {
        throw inputError(error)
    } catch let error as TuningError {
        throw inputError(error)
    }
}

/// Prints `error` (an error or a message) and returns the exit code of bad input.
func inputError(_ error: Any) -> ExitCode {
    printError("error: \(error)")
    return ExitCode(2)
}

/// Prints `message` to standard error.
func printError(_ message: String) {
    var standardError = StandardErrorStream()
    print(message, to: &standardError)
}

private struct StandardErrorStream: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
