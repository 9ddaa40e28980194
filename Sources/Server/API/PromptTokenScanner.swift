import Foundation

/// Reads a completion body's `prompt` straight from its bytes when it is a plain array of integers (what
/// benchmark clients and `moeserve replay` send): Foundation's `JSONDecoder` takes about 0.4 µs per element
/// of an `[Int]` (5.7 ms for 14,000 token ids in a release build, `ServerBenchmarks`), this scan a few
/// nanoseconds, so a long prompt does not add milliseconds to its time to first token.
///
/// The scan walks the top-level object's members, skipping every other value (strings with their escapes,
/// nested arrays and objects), and accepts only `[` integers separated by commas `]` with JSON's whitespace:
/// no fraction, exponent, leading zero or more than 18 digits. Anything else (another shape, malformed JSON,
/// a second `prompt` member, an escaped key) returns nil and the decoder reads the body as usual, with its
/// errors.
enum PromptTokenScanner {
    /// The token ids of the top-level `prompt` member, or nil when it is not a plain integer array.
    static func tokens(in body: Data) -> [Int]? {
        body.withUnsafeBytes { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.topLevelPrompt()
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        mutating func topLevelPrompt() -> [Int]? {
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var prompt: [Int]?
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return nil }
            while true {
                skipWhitespace()
                guard let isPrompt = key() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                if isPrompt {
                    guard prompt == nil, let tokens = integerArray() else { return nil }
                    prompt = tokens
                } else {
                    guard skipValue() else { return nil }
                }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}")) ? prompt : nil
            }
        }

        /// Reads a key; whether it is `prompt` (nil when it is not a string or holds an escape).
        mutating func key() -> Bool? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            let isPrompt = bytes[start..<index].elementsEqual("prompt".utf8)
            index += 1
            return isPrompt
        }

        /// Reads `[` integers `]` in one tight loop over the bytes, so that even a debug build reads a
        /// 14,000-token prompt in about a millisecond.
        mutating func integerArray() -> [Int]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var values: [Int] = []
            values.reserveCapacity(bytes.count / 4)
            // Unchecked reads: every index is compared with `count` before it is read.
            let bytes = self.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var position = index
            let count = self.bytes.count
            var expectsValue = true
            while position < count {
                let byte = bytes[position]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                    position += 1
                } else if byte == UInt8(ascii: "]") {
                    // Closes an empty array, or one whose last element is not followed by a comma.
                    guard !expectsValue || values.isEmpty else { return nil }
                    index = position + 1
                    return values
                } else if byte == UInt8(ascii: ",") {
                    guard !expectsValue else { return nil }
                    expectsValue = true
                    position += 1
                } else {
                    guard expectsValue else { return nil }
                    let negative = byte == UInt8(ascii: "-")
                    if negative { position += 1 }
                    let start = position
                    var value = 0
                    while position < count {
                        let digit = bytes[position] &- UInt8(ascii: "0")
                        if digit > 9 { break }
                        value = value &* 10 &+ Int(digit)
                        position += 1
                    }
                    let digits = position - start
                    guard digits > 0, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
                    if position < count {
                        let next = bytes[position]
                        if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                            return nil
                        }
                    }
                    values.append(negative ? -value : value)
                    expectsValue = false
                }
            }
            return nil
        }

        /// Skips one value of any kind; false when the bytes end first. (The decoder reads the body afterwards
        /// and reports any malformation; the scan only has to find the top-level members.)
        mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        depth += 1
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return false
            default:
                while index < bytes.count, !Self.endsScalar(bytes[index]) { index += 1 }
                return true
            }
        }

        /// Skips a string from its opening quote to past its closing one.
        mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        }

        static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// Whether `byte` ends a number or literal.
        static func endsScalar(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isWhitespace(byte)
        }
    }
}
