/// Why a replay could not run (a request that fails is measured as failed instead).
public enum ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server URL is malformed or unsupported.
    case invalidURL(String, String)
    /// The server could not be asked which model it serves, or answered something else.
    case modelDiscovery(ServerEndpoint, String)
    /// The time factor is not a finite positive number.
    case invalidTimeFactor(Double)

    public var description: String {
        switch self {
        case .invalidURL(let url, let problem): "--url \(url): \(problem)"
        case .modelDiscovery(let endpoint, let problem):
            "cannot learn the served model from \(endpoint)/v1/models (give --model): \(problem)"
        case .invalidTimeFactor(let factor): "--time-factor \(factor): expected a finite number > 0"
        }
    }
}
