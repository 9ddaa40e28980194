import NIOCore

/// Splits a `text/event-stream` body into its events' data, as bytes arrive in pieces of any size: an event
/// ends at a blank line, its `data:` lines are joined with newlines, comments and other fields are skipped
/// (the WHATWG server-sent events format).
struct ServerSentEventParser {
    private var pending: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false

    /// The data of every event that `bytes` completes, in order.
    mutating func feed(_ bytes: ByteBuffer) -> [[UInt8]] {
        var events: [[UInt8]] = []
        pending.append(contentsOf: bytes.readableBytesView)
        var lineStart = 0
        var index = 0
        while index < pending.count {
            let byte = pending[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index += 1
                continue
            }
            // A carriage return followed by a line feed is one line ending; wait for the next byte to know.
            if byte == UInt8(ascii: "\r") && index + 1 == pending.count { break }
            line(pending[lineStart..<index], into: &events)
            index += byte == UInt8(ascii: "\r") && pending[index + 1] == UInt8(ascii: "\n") ? 2 : 1
            lineStart = index
        }
        pending.removeFirst(lineStart)
        return events
    }

    private mutating func line(_ line: ArraySlice<UInt8>, into events: inout [[UInt8]]) {
        if line.isEmpty {
            if hasData { events.append(data) }
            data = []
            hasData = false
            return
        }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        guard line[line.startIndex..<colon].elementsEqual("data".utf8) else { return }
        var value = line[(colon == line.endIndex ? colon : line.index(after: colon))...]
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        if hasData { data.append(UInt8(ascii: "\n")) }
        data.append(contentsOf: value)
        hasData = true
    }
}
