import MoECore

extension SweepSpace {
    /// Configurations tried per value, at most, before a value is declared invalid.
    static let validationBudgetPerValue = 256

    /// Checks that every value of every dimension gives a valid scenario with some choice of the other
    /// values, so that a mistyped key or value stops the sweep before it starts.
    ///
    /// A value can be valid in one combination and not in another (`ep: 32` needs 32 devices per instance):
    /// such combinations become infeasible trials, with their reason, while the sweep goes on. A value that
    /// fails in every combination tried (an unknown key, a value of the wrong type or range) is bad input.
    /// The diagonal configurations (the k-th value of every dimension) are tried first, then, for a value
    /// not yet seen valid, up to ``validationBudgetPerValue`` configurations holding it. Decoding only:
    /// nothing is simulated.
    /// - Throws: ``TuningError/invalidValue(option:keyPath:value:error:)`` with the decoder's message.
    public func validate(against template: ScenarioTemplate, extra: [ScenarioOverride] = []) throws {
        var valid = dimensions.map { Array(repeating: false, count: $0.values.count) }
        var firstError: [[String?]] = dimensions.map { Array(repeating: nil, count: $0.values.count) }
        func attempt(_ configuration: [Int]) {
            do {
                _ = try template.scenario(overrides(configuration) + extra)
                for (dimension, value) in configuration.enumerated() { valid[dimension][value] = true }
            } catch {
                for (dimension, value) in configuration.enumerated() where firstError[dimension][value] == nil {
                    firstError[dimension][value] = "\(error)"
                }
            }
        }
        let longest = dimensions.map(\.values.count).max() ?? 0
        for step in 0..<longest { attempt(dimensions.map { step % $0.values.count }) }
        for (dimension, values) in dimensions.enumerated() {
            for value in values.values.indices where !valid[dimension][value] {
                let others = count / values.values.count
                var tried = 0
                var index = 0
                while !valid[dimension][value], tried < min(others, Self.validationBudgetPerValue) {
                    var configuration = self.configuration(at: index)
                    index += 1
                    guard configuration[dimension] == 0 else { continue }
                    configuration[dimension] = value
                    attempt(configuration)
                    tried += 1
                }
                guard valid[dimension][value] else {
                    throw TuningError.invalidValue(
                        option: "--vary", keyPath: values.keyPaths.joined(separator: "/"),
                        value: values.valueTexts[value],
                        error: firstError[dimension][value] ?? "no configuration holds it")
                }
            }
        }
    }
}
