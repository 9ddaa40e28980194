/// A configuration field that is out of range, with the value found and what was expected.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The offending field, spelled as in Swift (`maxNumSeqs`, `kvCache.hostTier.capacityBlocks`).
    public var field: String
    /// The value that was given, printed.
    public var value: String
    /// What the field must satisfy.
    public var expected: String

    /// Creates an error for `field`.
    public init(field: String, value: String, expected: String) {
        self.field = field
        self.value = value
        self.expected = expected
    }

    public var description: String { "invalid \(field) = \(value): expected \(expected)" }
}

extension SchedulerConfiguration {
    /// Checks every field; throws for the first one out of range, naming it.
    public func validate() throws(ConfigurationError) {
        func require(_ ok: Bool, _ field: String, _ value: some CustomStringConvertible, _ expected: String)
            throws(ConfigurationError)
        {
            if !ok { throw ConfigurationError(field: field, value: value.description, expected: expected) }
        }
        try require(maxNumBatchedTokens >= 1, "maxNumBatchedTokens", maxNumBatchedTokens, "at least 1")
        try require(maxNumSeqs >= 1, "maxNumSeqs", maxNumSeqs, "at least 1")
        try require(longPrefillTokenThreshold >= 0, "longPrefillTokenThreshold", longPrefillTokenThreshold, ">= 0")
        if let cap = maxPrefillTokensPerStep {
            try require(cap >= 1, "maxPrefillTokensPerStep", cap, "at least 1, or nil for no cap")
        }
        try require(blockSize >= 1, "blockSize", blockSize, "at least 1")
        try require(maxWaitingRequests >= 0, "maxWaitingRequests", maxWaitingRequests, ">= 0")
        if let rate = predictedPrefillTokensPerSecond {
            try require(rate.isFinite && rate > 0, "predictedPrefillTokensPerSecond", rate, "a positive finite rate")
        }
        if case .reserve(let reserve) = admission {
            try require(
                reserve.initialNewTokenRatio > 0 && reserve.initialNewTokenRatio <= 1,
                "admission.reserve.initialNewTokenRatio", reserve.initialNewTokenRatio, "in (0, 1]")
            try require(
                reserve.minRatioFactor >= 0 && reserve.minRatioFactor <= 1, "admission.reserve.minRatioFactor",
                reserve.minRatioFactor, "in [0, 1]")
            try require(reserve.decaySteps >= 1, "admission.reserve.decaySteps", reserve.decaySteps, "at least 1")
            try require(
                reserve.clipMaxNewTokens >= 1, "admission.reserve.clipMaxNewTokens", reserve.clipMaxNewTokens,
                "at least 1")
        }
    }
}
