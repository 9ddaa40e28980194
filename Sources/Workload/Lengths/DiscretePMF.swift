import MoECore

/// A probability mass function over numbers, sampled by inverse CDF (binary search).
///
/// ServeGen stores its length PMFs as the text of a Python dict literal, `"{45: 0.0097, 46: 0.0117}"`;
/// ``init(pythonDictLiteral:)`` parses that text without evaluating it.
public struct DiscretePMF: Hashable, Sendable {
    /// The support, in the order given.
    public let values: [Double]
    /// Running sums of the probabilities, normalized so the last is 1.
    private let cumulative: [Double]

    /// A PMF over `values` with (unnormalized, non-negative, not all zero) `weights`.
    public init(values: [Double], weights: [Double]) throws {
        guard !values.isEmpty, values.count == weights.count else {
            throw WorkloadError.invalidParameter(name: "PMF", message: "expected equally many (> 0) values and weights")
        }
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw WorkloadError.invalidParameter(name: "PMF", message: "expected finite non-negative probabilities")
        }
        var running = 0.0
        var sums: [Double] = []
        sums.reserveCapacity(weights.count)
        for weight in weights {
            running += weight
            sums.append(running)
        }
        guard running > 0 else {
            throw WorkloadError.invalidParameter(name: "PMF", message: "expected a positive total probability")
        }
        self.values = values
        cumulative = sums.map { $0 / running }
    }

    /// Parses `"{value: probability, ...}"`; returns nil for `"{}"` (ServeGen's "no data").
    public init?(pythonDictLiteral text: Substring) throws {
        let body = text.trimmingWhitespace()
        guard body.first == "{", body.last == "}" else {
            throw WorkloadError.invalidParameter(
                name: "PMF", message: "expected a dict literal {value: probability, ...}, found \(body.prefix(40))")
        }
        let inner = body.dropFirst().dropLast().trimmingWhitespace()
        if inner.isEmpty { return nil }
        var values: [Double] = []
        var weights: [Double] = []
        for pair in inner.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let value = Double(parts[0].trimmingWhitespace()),
                let weight = Double(parts[1].trimmingWhitespace())
            else {
                throw WorkloadError.invalidParameter(
                    name: "PMF",
                    message: "expected value: probability, found \"\(pair.trimmingWhitespace().prefix(40))\"")
            }
            values.append(value)
            weights.append(weight)
        }
        try self.init(values: values, weights: weights)
    }

    /// A value drawn with its probability.
    public func sample(using generator: inout SeededGenerator) -> Double {
        let target = generator.nextUnitDouble()
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return values[low]
    }

    /// The expected value.
    public var mean: Double {
        var previous = 0.0
        var total = 0.0
        for (value, sum) in zip(values, cumulative) {
            total += value * (sum - previous)
            previous = sum
        }
        return total
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
