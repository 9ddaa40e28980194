/// Parsing of numbers straight from a line's bytes, so readers allocate nothing per field.
///
/// Each parser returns `nil` when the bytes are not a well-formed number; the caller turns that into a
/// `WorkloadError` naming the column and quoting the bytes (see ``quoted(_:)``).
enum ByteParsing {
    /// A non-negative decimal integer (`0`…`9` only, at most 18 digits so it cannot overflow).
    static func nonNegativeInteger(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = Int(byte) &- 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value &* 10 &+ digit
        }
        return value
    }

    /// A decimal number such as `12`, `-3.5`, `1e-3` (whatever Swift's `Double(String)` accepts, finite).
    static func double(_ bytes: ArraySlice<UInt8>) -> Double? {
        if let integer = nonNegativeInteger(bytes) { return Double(integer) }
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// The bytes as a short quoted string for error messages (cut after 40 characters).
    static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "\"\(text)\(bytes.count > 40 ? "…" : "")\""
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result = bytes
        while let first = result.first, first == 0x20 || first == 0x09 { result.removeFirst() }
        while let last = result.last, last == 0x20 || last == 0x09 { result.removeLast() }
        return result
    }
}
