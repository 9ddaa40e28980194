#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file (or a pipe) line by line through one fixed-size buffer, so memory stays flat no matter
/// how long the file is.
///
/// Each call to ``advance()`` leaves the current line's bytes, without the line terminator (`\n` or
/// `\r\n`), in ``line`` and its 1-based number in ``lineNumber``. The `line` array is reused, so
/// parsers work on bytes and allocate nothing per line.
final class LineReader {
    /// The path used in error messages.
    let path: String
    /// The bytes of the current line, without its terminator.
    private(set) var line: [UInt8] = []
    /// 1-based number of the current line; 0 before the first ``advance()``.
    private(set) var lineNumber = 0

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The `gzip -dc` process feeding `descriptor`, checked for failure at end of input.
    private let decompressor: GzipDecompressor?
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var reachedEnd = false

    /// Bytes read from the file per `read(2)` call; also the most the reader holds besides one line.
    static let bufferSize = 64 * 1024

    /// Opens `path` for reading.
    convenience init(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw WorkloadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        self.init(descriptor: descriptor, ownsDescriptor: true, path: path)
    }

    /// Reads the decompressed output of a `gzip -dc` process.
    init(decompressing decompressor: GzipDecompressor) {
        self.descriptor = decompressor.outputDescriptor
        self.ownsDescriptor = false
        self.decompressor = decompressor
        self.path = decompressor.path
        buffer = [UInt8](repeating: 0, count: Self.bufferSize)
    }

    private init(descriptor: Int32, ownsDescriptor: Bool, path: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.decompressor = nil
        self.path = path
        buffer = [UInt8](repeating: 0, count: Self.bufferSize)
    }

    /// Opens `path`, decompressing it through `gzip -dc` when its name ends in `.gz`.
    static func opening(_ path: String) throws -> LineReader {
        path.hasSuffix(".gz") ? LineReader(decompressing: try GzipDecompressor(path: path)) : try LineReader(path: path)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Moves to the next line; returns false at the end of the file. A last line without a trailing
    /// newline is still returned.
    func advance() throws -> Bool {
        line.removeAll(keepingCapacity: true)
        while true {
            if let newline = buffer[start..<end].firstIndex(of: UInt8(ascii: "\n")) {
                line.append(contentsOf: buffer[start..<newline])
                start = newline + 1
                return finishLine()
            }
            line.append(contentsOf: buffer[start..<end])
            start = 0
            end = 0
            let refilled = reachedEnd ? false : try refill()
            if !refilled {
                reachedEnd = true
                return line.isEmpty ? false : finishLine()
            }
        }
    }

    private func finishLine() -> Bool {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        lineNumber += 1
        return true
    }

    /// Reads more bytes into the (empty) buffer; false at end of file.
    private func refill() throws -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, Self.bufferSize) }
            if count > 0 {
                end = count
                return true
            }
            if count == 0 {
                try decompressor?.finish()
                return false
            }
            if errno == EINTR { continue }
            throw WorkloadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
