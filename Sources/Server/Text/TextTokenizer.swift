/// A deterministic, byte-pair-free stand-in for a tokenizer: it turns text into token ids whose count
/// approximates what a BPE tokenizer gives English text (about four characters per token), so that a prompt's
/// length, and so the mock's prefill time and the `usage` counts, follow the text sent.
///
/// The rule, applied to the text's Unicode scalars:
/// - a run of ASCII letters and digits is one token per four characters, rounded up (`serving` is 2), and a
///   single space before it is part of its first token (` the` is 1);
/// - any other run of whitespace (a newline, two spaces) is one token;
/// - every other scalar (punctuation, a symbol, a non-ASCII letter, each scalar of an emoji) is one token.
///
/// `"Hello, world!"` is 6 tokens: `Hell`+`o`, `,`, ` worl`+`d`, `!`. A token's id is the FNV-1a hash of its
/// text, so equal texts give equal ids (which is what prefix caching keys on) and the ids never reach the
/// backend, which sees only the count.
public enum TextTokenizer {
    /// Characters of a letter-and-digit run per token.
    public static let charactersPerToken = 4

    /// The token ids of `text`, in order.
    public static func tokenIDs(of text: String) -> [UInt32] {
        var ids: [UInt32] = []
        var piece = FNV1a()
        var pieceLength = 0
        var pendingSpace = false
        var inOtherWhitespace = false

        func endPiece() {
            guard pieceLength > 0 else { return }
            ids.append(piece.value)
            piece = FNV1a()
            pieceLength = 0
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if inOtherWhitespace {
                    ids.append(FNV1a.of(" \n"))
                    inOtherWhitespace = false
                }
                if pendingSpace {
                    piece.add(UInt8(ascii: " "))
                    pendingSpace = false
                }
                if pieceLength == charactersPerToken { endPiece() }
                piece.add(UInt8(scalar.value))
                pieceLength += 1
                continue
            }
            endPiece()
            if scalar.properties.isWhitespace {
                if scalar == " " && !pendingSpace && !inOtherWhitespace {
                    pendingSpace = true
                } else {
                    pendingSpace = false
                    inOtherWhitespace = true
                }
                continue
            }
            if pendingSpace || inOtherWhitespace {
                ids.append(FNV1a.of(" \n"))
                pendingSpace = false
                inOtherWhitespace = false
            }
            ids.append(FNV1a.of(scalar))
        }
        endPiece()
        if pendingSpace || inOtherWhitespace { ids.append(FNV1a.of(" \n")) }
        return ids
    }

    /// The number of tokens of `text`.
    public static func count(_ text: String) -> Int { tokenIDs(of: text).count }
}

/// The 32-bit FNV-1a hash, fed byte by byte.
struct FNV1a {
    private(set) var value: UInt32 = 2_166_136_261

    mutating func add(_ byte: UInt8) {
        value ^= UInt32(byte)
        value = value &* 16_777_619
    }

    /// The hash of a string's UTF-8 bytes.
    static func of(_ text: String) -> UInt32 {
        var hash = FNV1a()
        for byte in text.utf8 { hash.add(byte) }
        return hash.value
    }

    /// The hash of one scalar's UTF-8 bytes.
    static func of(_ scalar: Unicode.Scalar) -> UInt32 {
        var hash = FNV1a()
        for byte in UTF8.encode(scalar)! { hash.add(byte) }
        return hash.value
    }
}
