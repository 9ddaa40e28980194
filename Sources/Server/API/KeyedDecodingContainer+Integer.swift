/// Integer fields read so that a fraction or an out-of-range number is a 400 naming the field: Foundation's
/// decoder reports those as unparsable JSON, with no field at all.
extension KeyedDecodingContainer {
    /// The integer at `key`, or nil when absent or null.
    /// - Throws: a `DecodingError` at `key` for a number with a fraction, one past `Int`'s range, or another
    ///   type.
    func integer(_ key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let number = try? decode(Double.self, forKey: key) {
            let problem =
                number == number.rounded()
                ? "is \(number), which does not fit in a 64-bit integer" : "is \(number); expected an integer"
            throw RequestFieldError.invalid(self, key, problem)
        }
        return try decode(Int.self, forKey: key)
    }
}
