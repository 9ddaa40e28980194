/// Parses `YYYY-MM-DD HH:MM:SS[.fffffffff]` timestamps (the Azure trace format, 100 ns resolution).
///
/// The Azure files do not state a time zone and only differences matter to a replay, so the result is
/// nanoseconds since 1970-01-01 00:00:00 in the file's own (unknown) zone.
enum CivilTimestamp {
    /// Nanoseconds since the 1970 epoch, or nil when `bytes` is not such a timestamp.
    static func nanoseconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        let text = Array(bytes)
        guard text.count >= 19, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "T"),
            text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
            let year = ByteParsing.nonNegativeInteger(text[0..<4]),
            let month = ByteParsing.nonNegativeInteger(text[5..<7]),
            let day = ByteParsing.nonNegativeInteger(text[8..<10]),
            let hour = ByteParsing.nonNegativeInteger(text[11..<13]),
            let minute = ByteParsing.nonNegativeInteger(text[14..<16]),
            let second = ByteParsing.nonNegativeInteger(text[17..<19]),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction: Int64 = 0
        if text.count > 19 {
            let digits = text[20...]
            guard text[19] == UInt8(ascii: "."), (1...9).contains(digits.count),
                let value = ByteParsing.nonNegativeInteger(digits)
            else { return nil }
            fraction = Int64(value)
            for _ in digits.count..<9 { fraction *= 10 }
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000_000 + fraction
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
