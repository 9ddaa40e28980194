/// The text the server shows for an output token: the mock backend samples token ids without a tokenizer,
/// so each id is rendered as one short English word from a fixed list (` the`, ` of`, ...).
///
/// Every word has at most ``TextTokenizer/charactersPerToken`` letters and a leading space, so
/// ``TextTokenizer`` counts each as exactly one token: a completion's text, tokenized again, gives its
/// `completion_tokens` less the end-of-sequence token, which has no text.
public enum TokenText {
    /// The words, indexed by token id modulo their count.
    static let words: [String] = [
        "the", "of", "and", "to", "in", "is", "it", "that", "for", "on", "was", "with", "as", "at", "by", "this",
        "be", "are", "from", "or", "an", "but", "not", "we", "can", "all", "one", "more", "will", "each", "time",
        "some", "so", "into", "new", "two", "may", "most", "out", "over", "also", "then", "its", "our", "data",
        "load", "node", "rank", "path", "link", "fast", "low", "high", "step", "cost", "mean", "peak", "hot",
        "cold", "hit", "page", "core", "unit", "test",
    ]

    /// The text of `token`: a space and a word, or nothing for the end-of-sequence token.
    public static func piece(for token: UInt32, isEndOfSequence: Bool) -> String {
        isEndOfSequence ? "" : " " + words[Int(token % UInt32(words.count))]
    }
}
