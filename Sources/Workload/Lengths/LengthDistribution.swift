import MoECore

/// Where a synthetic workload draws its prompt and output lengths from.
public enum LengthDistribution: Hashable, Sendable {
    /// Every request has the same lengths (a controlled experiment).
    case fixed(promptTokens: Int, outputTokens: Int)
    /// Rows drawn uniformly from a table of real lengths (ShareGPT, arXiv, a trace).
    case table(LengthTable)

    /// One (prompt, output) pair.
    public func sample(using generator: inout SeededGenerator) -> (promptTokens: Int, outputTokens: Int) {
        switch self {
        case .fixed(let prompt, let output): return (prompt, output)
        case .table(let table): return table.sample(using: &generator)
        }
    }

    /// Throws unless fixed lengths are at least 1 (tables check their rows when built).
    public func validated() throws -> LengthDistribution {
        if case .fixed(let prompt, let output) = self, prompt < 1 || output < 1 {
            throw WorkloadError.invalidParameter(
                name: "fixed lengths", message: "expected prompt and output of at least 1, found \(prompt), \(output)")
        }
        return self
    }
}
