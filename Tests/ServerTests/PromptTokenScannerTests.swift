import Foundation
import TestSupport
import Testing

@testable import Server

/// The fast reading of token-id prompts agrees with Foundation's decoder wherever it answers.
@Suite(.wallClockExclusive) struct PromptTokenScannerTests {
    /// The top-level `prompt` as `JSONDecoder` reads it, when it is an integer array.
    static func decoded(_ body: Data) -> [Int]? {
        struct Prompt: Decodable { var prompt: [Int] }
        return try? JSONDecoder().decode(Prompt.self, from: body).prompt
    }

    @Test(arguments: [
        (#"{"model": "m", "prompt": [1, 2, 3]}"#, [1, 2, 3]),
        (#"{ "prompt" : [ ] , "x": {"prompt": [9]} }"#, []),
        (#"{"a": "\"prompt\": [9]", "b": [{"c": "]}"}], "prompt":[-4,5]}"#, [-4, 5]),
        (" {\n\t\"prompt\":\r\n[7]}", [7]),
    ])
    func plainIntegerArraysAreRead(body: String, tokens: [Int]) {
        #expect(PromptTokenScanner.tokens(in: Data(body.utf8)) == tokens)
        #expect(Self.decoded(Data(body.utf8)) == tokens)
    }

    @Test(arguments: [
        #"{"prompt": "text"}"#, #"{"prompt": [1.5]}"#, #"{"prompt": [1e3]}"#, #"{"prompt": [01]}"#,
        #"{"prompt": [1, 2], "prompt": [3]}"#, #"{"pr\u006fmpt": [1]}"#, #"{"prompt": [[1]]}"#,
        #"{"prompt": [1234567890123456789]}"#, #"{"prompt": [1,]}"#, #"{"prompt": [1] "#, "[1, 2]", "",
    ])
    func anythingElseIsLeftToTheDecoder(body: String) {
        #expect(PromptTokenScanner.tokens(in: Data(body.utf8)) == nil)
    }

    @Test func fuzzedBodiesNeverMakeTheScanDisagreeWithTheDecoder() {
        var fuzzer = RequestFuzzer(seed: 9)
        var read = 0
        for _ in 0..<3_000 {
            let (_, body) = fuzzer.next(model: "m")
            guard let scanned = PromptTokenScanner.tokens(in: body), let decoded = Self.decoded(body) else { continue }
            #expect(scanned == decoded, "\(String(decoding: body, as: UTF8.self))")
            read += 1
        }
        #expect(read > 100)
    }
}
