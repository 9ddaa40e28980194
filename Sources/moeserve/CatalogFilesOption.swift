import ArgumentParser
import Foundation
import MoECore

/// The `--catalog FILE` option: user catalog files merged over the built-in catalog.
struct CatalogFilesOption: ParsableArguments {
    @Option(
        name: .customLong("catalog"),
        help: "A YAML or JSON catalog file to merge over the built-in catalog (repeatable).")
    var files: [String] = []

    /// The built-in catalog with the files merged; a bad file ends the command with exit code 2.
    func load() throws -> Catalog {
        try reportingInputErrors { try Catalog.loading(files: files) }
    }
}

/// Runs `body`; an ``InputFileError`` is printed to standard error and ends the command with exit code 2.
func reportingInputErrors<Value>(_ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as InputFileError {
        printError("error: \(error)")
        throw ExitCode(2)
    }
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
