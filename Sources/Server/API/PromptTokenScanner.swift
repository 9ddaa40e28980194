import Foundation

/// Reads a completion body's `prompt` straight from its bytes when it is a plain array of integers (what
/// benchmark clients and `moeserve replay` send): Foundation's `JSONDecoder` takes about 0.37 µs per element
/// of an `[Int]` (0.73 ms for 2,000 token ids in a release build), this scan a few nanoseconds, so a long
/// prompt does not add milliseconds to its time to first token.
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

        mutating func integerArray() -> [Int]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var values: [Int] = []
            values.reserveCapacity(bytes.count / 4)
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return values }
            while true {
                skipWhitespace()
                guard let value = integer() else { return nil }
                values.append(value)
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]")) ? values : nil
            }
        }

        mutating func integer() -> Int? {
            let negative = take(UInt8(ascii: "-"))
            let start = index
            var value = 0
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                value = value * 10 + digit
                index += 1
            }
            let digits = index - start
            guard digits > 0, digits <= 18, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
                return nil
            }
            return negative ? -value : value
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
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        static func digit(_ byte: UInt8) -> Int? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }

        /// Whether `byte` ends a number or literal.
        static func endsScalar(_ byte: UInt8) -> Bool {
            [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(byte)
        }
    }
}
