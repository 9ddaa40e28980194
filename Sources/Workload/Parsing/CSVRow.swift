/// Splits comma-separated lines into fields and finds columns by header name.
///
/// The traces this module reads (Azure, Vidur/Splitwise, the length tables, ServeGen) are plain CSV
/// without quoting, so a field is simply the bytes between commas. Columns are located by name, so
/// extra columns (such as a pandas index) and any column order are accepted.
struct CSVRow {
    /// Start and end offsets of each field of the last split line, reused between lines.
    private(set) var fields: [Range<Int>] = []

    /// Splits `line` at commas into ``fields``.
    mutating func split(_ line: [UInt8]) {
        fields.removeAll(keepingCapacity: true)
        var fieldStart = 0
        for index in line.indices where line[index] == UInt8(ascii: ",") {
            fields.append(fieldStart..<index)
            fieldStart = index + 1
        }
        fields.append(fieldStart..<line.count)
    }

    /// The trimmed bytes of field `column` of `line`, or nil when the line has fewer fields.
    func field(_ column: Int, of line: [UInt8]) -> ArraySlice<UInt8>? {
        column < fields.count ? ByteParsing.trimmed(line[fields[column]]) : nil
    }

    /// The header's column names (trimmed, BOM removed).
    static func columnNames(ofHeader header: [UInt8]) -> [String] {
        var row = CSVRow()
        let withoutBOM = header.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(header.dropFirst(3)) : header
        row.split(withoutBOM)
        return row.fields.map { String(decoding: ByteParsing.trimmed(withoutBOM[$0]), as: UTF8.self) }
    }

    /// The index of each `wanted` column in `header`; throws naming the missing ones and what was found.
    static func columnIndices(of wanted: [String], inHeader header: [UInt8], path: String, line: Int) throws -> [Int] {
        let names = columnNames(ofHeader: header)
        let missing = wanted.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw WorkloadError.malformedRow(
                path: path, line: line,
                message: "expected a header with columns \(wanted.joined(separator: ",")), "
                    + "missing \(missing.joined(separator: ",")) in \(names.joined(separator: ","))")
        }
        return wanted.map { names.firstIndex(of: $0)! }
    }
}
