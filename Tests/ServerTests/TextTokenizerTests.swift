import Testing

@testable import Server

/// The deterministic token counting of text, and the text of output tokens.
@Suite struct TextTokenizerTests {
    @Test(arguments: [
        ("Hello, world!", 6), ("the", 1), (" the", 1), ("serving", 2), ("a  b", 3), ("a\nb", 3), ("", 0), ("!!", 2),
        ("café", 2), ("2048 tokens", 3), (" ", 1),
    ])
    func textIsCountedByTheDocumentedRule(text: String, tokens: Int) {
        #expect(TextTokenizer.count(text) == tokens)
    }

    @Test func equalTextsGiveEqualIDsAndDifferentTextsDifferentOnes() {
        #expect(TextTokenizer.tokenIDs(of: "prefix caching") == TextTokenizer.tokenIDs(of: "prefix caching"))
        #expect(TextTokenizer.tokenIDs(of: "prefix caching") != TextTokenizer.tokenIDs(of: "prefix cachinG"))
    }

    @Test func everyOutputWordCountsAsExactlyOneToken() {
        for word in TokenText.words { #expect(TextTokenizer.count(" " + word) == 1, "\(word)") }
        let tokens: [UInt32] = Array(0..<200)
        let text = tokens.map { TokenText.piece(for: $0, isEndOfSequence: false) }.joined()
        #expect(TextTokenizer.count(text) == tokens.count)
        #expect(TokenText.piece(for: 1, isEndOfSequence: true).isEmpty)
    }

    @Test func promptBlocksShareHashesExactlyAsFarAsTheirTokensAgree() {
        let shared: [UInt32] = Array(0..<128)
        let first = PromptBlockHashes.chained(shared + Array(1_000..<1_100), blockTokens: 64)
        let second = PromptBlockHashes.chained(shared + Array(2_000..<2_100), blockTokens: 64)
        #expect(first.count == 3 && second.count == 3)
        #expect(first[0..<2] == second[0..<2])
        #expect(first[2] != second[2])
        // A block's hash covers the blocks before it.
        let shifted = PromptBlockHashes.chained([7] + Array(shared.dropFirst()), blockTokens: 64)
        #expect(shifted[1] != first[1])
    }
}
