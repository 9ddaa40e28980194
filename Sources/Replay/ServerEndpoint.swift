/// Where an OpenAI-compatible server listens, from a URL such as `http://127.0.0.1:8000` or
/// `http://gateway:8080/v1` (the OpenAI SDKs' `base_url`).
public struct ServerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address.
    public var host: String
    /// The TCP port (80 when the URL names none).
    public var port: Int
    /// The path prefix before `/v1/...` (empty for none).
    public var basePath: String

    /// Parses `url`: `http://HOST[:PORT][/PREFIX]`, with or without a trailing `/v1`.
    /// - Throws: ``ReplayError/invalidURL(_:_:)`` naming what is wrong (https is refused: the client speaks
    ///   plain HTTP/1.1, as servers on a cluster's own network do).
    public init(url: String) throws(ReplayError) {
        guard url.hasPrefix("http://") else {
            throw .invalidURL(url, "expected http://HOST:PORT (plain HTTP; https is not supported)")
        }
        var rest = Substring(url.dropFirst("http://".count))
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/v1") { path.removeLast(3) }
        var host = String(rest)
        var port = 80
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(parsed) else {
                throw .invalidURL(url, "the port is not a number from 1 to 65535")
            }
            port = parsed
            host = String(rest[..<colon])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidURL(url, "no host") }
        self.host = host
        self.port = port
        basePath = path
    }

    /// The request path of an API route (`/v1/completions`).
    public func path(_ route: String) -> String { basePath + route }

    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(basePath)" }
}
