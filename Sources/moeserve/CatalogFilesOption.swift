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
