/// A small JSON tokenizer for one-object-per-line traces (Mooncake JSONL).
///
/// Decoding each line with Foundation's JSON parser would build a dictionary of boxed values per
/// request; this scanner walks the bytes once and hands back numbers as byte slices. It accepts any key
/// order, whitespace, and unknown keys (their values, including nested ones, are skipped).
struct JSONLineScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether only whitespace is left.
    var atEnd: Bool {
        mutating get {
            skipWhitespace()
            return position == bytes.count
        }
    }

    /// Consumes `byte` (after whitespace) or throws saying it was expected.
    mutating func expect(_ byte: UInt8) throws(RowProblem) {
        guard consume(byte) else { throw problem(expected: "'\(Character(UnicodeScalar(byte)))'") }
    }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// A string's raw bytes (escapes are kept as written; keys in traces have none).
    mutating func string() throws(RowProblem) -> ArraySlice<UInt8> {
        try expect(UInt8(ascii: "\""))
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard position < bytes.count else { throw problem(expected: "a closing '\"'") }
        defer { position += 1 }
        return bytes[start..<position]
    }

    /// A number's bytes (sign, digits, fraction, exponent).
    mutating func number() throws(RowProblem) -> ArraySlice<UInt8> {
        skipWhitespace()
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        guard position > start else { throw problem(expected: "a number") }
        return bytes[start..<position]
    }

    /// Skips any value: string, number, literal, array or object.
    mutating func skipValue() throws(RowProblem) {
        skipWhitespace()
        guard position < bytes.count else { throw problem(expected: "a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let close = bytes[position] == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            position += 1
            if consume(close) { return }
            repeat {
                if close == UInt8(ascii: "}") {
                    _ = try string()
                    try expect(UInt8(ascii: ":"))
                }
                try skipValue()
            } while consume(UInt8(ascii: ","))
            try expect(close)
        default:
            let start = position
            while position < bytes.count, Self.isNumberByte(bytes[position]) || Self.isLetter(bytes[position]) {
                position += 1
            }
            guard position > start else { throw problem(expected: "a value") }
        }
    }

    /// A problem saying what was expected at the current byte offset.
    func problem(expected: String) -> RowProblem {
        let found = position < bytes.count ? ByteParsing.quoted(bytes[position...]) : "end of line"
        return RowProblem(message: "expected \(expected) at byte \(position + 1), found \(found)")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
            || byte == UInt8(ascii: "E")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}
