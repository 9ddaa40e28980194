import Testing

@testable import MoECore

@Suite struct DocumentNodeTests {
    private func parse(_ text: String) throws -> DocumentNode { try DocumentNode.parse(text, file: "test.yaml") }

    @Test func unknownKeyNamesItsFullKeyPathAndTheAllowedKeys() throws {
        let root = try parse("outer:\n  items:\n    - {a: 1}\n    - {a: 2, b: 3}\n")
        let error = #expect(throws: InputFileError.self) {
            let items = try root.mapping(keys: ["outer"]).required("outer").mapping(keys: ["items"]).required("items")
            for item in try items.list() { _ = try item.mapping(keys: ["a"]) }
        }
        #expect(error?.keyPath == "outer.items[1].b")
        #expect(error?.message.contains("unknown key 'b'; expected one of: a") == true)
        #expect(error?.line == 4)
    }

    @Test func numbersAndStringsAreNotCoercedIntoEachOther() throws {
        let fields = try parse("count: \"8\"\nname: 8\nflag: \"true\"\n").mapping(keys: ["count", "name", "flag"])
        let countError = #expect(throws: InputFileError.self) { try fields.required("count").integer(.positive) }
        #expect(countError?.message == "expected a positive integer, found the string \"8\"")
        let nameError = #expect(throws: InputFileError.self) { try fields.required("name").string() }
        #expect(nameError?.message == "expected a string, found the number 8")
        #expect(throws: InputFileError.self) { try fields.required("flag").bool() }
    }

    @Test func rangeChecksNameWhatWasExpected() throws {
        let fields = try parse("count: -2\nshare: 1.5\n").mapping(keys: ["count", "share"])
        let countError = #expect(throws: InputFileError.self) { try fields.required("count").integer(.positive) }
        #expect(countError?.description == "test.yaml:1: count: expected a positive integer, found the number -2")
        let shareError = #expect(throws: InputFileError.self) { try fields.required("share").number(.fraction) }
        #expect(shareError?.message == "expected a number from 0 to 1, found the number 1.5")
    }

    @Test func jsonAndYamlDecodeToTheSameValues() throws {
        let yaml = try parse("rate: 2.5\nlimit: 10\nkind: gamma\nitems: [1, 2]\n")
        let json = try DocumentNode.parse(
            #"{"rate": 2.5, "limit": 10, "kind": "gamma", "items": [1, 2]}"#, file: "t.json")
        for document in [yaml, json] {
            let fields = try document.mapping(keys: ["rate", "limit", "kind", "items"])
            #expect(try fields.required("rate").number() == 2.5)
            #expect(try fields.required("limit").integer() == 10)
            #expect(try fields.required("kind").oneOf(ArrivalProcessKind.self) == .gamma)
            #expect(try fields.required("items").list().map { try $0.integer() } == [1, 2])
        }
    }

    @Test func syntaxErrorsCarryTheirLine() {
        let error = #expect(throws: InputFileError.self) { try parse("a: 1\nb: [1, 2\nc: 3\n") }
        #expect(error?.line != nil)
        #expect(error?.message.hasPrefix("invalid YAML/JSON") == true)
    }

    @Test func missingRequiredKeyAndMissingFileAreNamed() throws {
        let fields = try parse("a: 1\n").mapping(keys: ["a", "b"])
        let missing = #expect(throws: InputFileError.self) { try fields.required("b") }
        #expect(missing?.keyPath == "b")
        #expect(missing?.message == "missing required key")
        let noFile = #expect(throws: InputFileError.self) { try DocumentNode.load(file: "/nonexistent/s.yaml") }
        #expect(noFile?.description == "/nonexistent/s.yaml: no such file")
    }

    @Test func duplicateKeysAreRejected() {
        let error = #expect(throws: InputFileError.self) { try parse("a: 1\na: 2\n") }
        #expect(error?.message.contains("duplicate keys a") == true)
    }
}
