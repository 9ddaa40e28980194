import MoECore

/// The cost waterfall of `moeserve explain-cost`: from the baseline, one lever at a time, each step the
/// same workload at the same objectives, each step sized to the fewest nodes that meet them.
///
/// A step's cost is the allocation-basis price of the smallest cluster (in the sizing the step uses) whose
/// SLO attainment reaches the target, so a lever is credited with what it saves once the deployment is
/// shrunk to what it needs, not with idle capacity. Levers apply cumulatively in the path's order, and the
/// attribution depends on that order (a lever's saving is measured with the earlier ones in place); the
/// order is the levers file's. A pending lever (a feature not built yet) is listed with its reason and
/// changes nothing; the later steps go on without it.
public enum CostWaterfall {
    /// One step of a path.
    public struct Step: Sendable, Hashable {
        /// The lever's title (the baseline's for the first step).
        public var lever: String
        /// The lever's key (`baseline` for the first step).
        public var key: String
        /// Where the lever's setting comes from.
        public var source: String
        /// Why the lever was not simulated, when it is pending.
        public var pending: String?
        /// The overrides in force from the baseline through this step.
        public var overrides: [ScenarioOverride]
        /// The sizing in force.
        public var sizing: ClusterSizing
        /// The step sized to the objective, nil when pending.
        public var sized: SizedTrial?

        /// The measured figures at the step's size, when a size met the objective.
        public var metrics: TrialMetrics? {
            guard sized?.size != nil else { return nil }
            return sized?.trial?.outcome.metrics
        }
    }

    /// One path's steps.
    public struct PathResult: Sendable, Hashable {
        /// The path.
        public var path: CostPath
        /// The baseline first, then one step per lever.
        public var steps: [Step]
    }

    /// Runs the paths named in `names` (all when nil): step by step, the same step of every path in lockstep.
    /// - Throws: ``MoECore/InputFileError`` when a step's scenario does not decode (a bad levers file);
    ///   ``TuningError/invalidOption(option:reason:)`` for an unknown path; what the runner throws.
    public static func run(
        _ levers: CostLevers, paths names: [String]? = nil, objective: SweepObjective, maximumNodes: Int,
        runner: TrialRunner
    ) throws -> [PathResult] {
        let known = levers.paths.map(\.name)
        if let unknown = names?.first(where: { !known.contains($0) }) {
            throw TuningError.invalidOption(
                option: "--path",
                reason: "no path '\(unknown)' in the levers file; paths: \(known.joined(separator: ", "))")
        }
        var results = levers.paths.filter { names?.contains($0.name) ?? true }.map { path in
            PathResult(path: path, steps: steps(of: path, levers: levers))
        }
        // Step k of every path in one lockstep round, each search starting at the size of the path's
        // previous step: a lever mostly shrinks the cluster, so the search gallops down a few sizes
        // instead of up from one node.
        var previousNodes = Array(repeating: 1, count: results.count)
        let planner = CapacityPlanner(objective: objective)
        runner.expectedTrials = nil
        for stepIndex in 0..<(results.map(\.steps.count).max() ?? 0) {
            var configurations: [[ScenarioOverride]] = []
            var sizes: [[ClusterSize]] = []
            var starts: [Int] = []
            var paths: [Int] = []
            for (pathIndex, result) in results.enumerated() where stepIndex < result.steps.count {
                let step = result.steps[stepIndex]
                guard step.pending == nil else { continue }
                let stepSizes = try step.sizing.sizes(
                    of: levers.template, overrides: step.overrides, maximumNodes: maximumNodes)
                configurations.append(step.overrides)
                sizes.append(stepSizes)
                starts.append(
                    stepSizes.firstIndex { $0.nodes >= previousNodes[pathIndex] } ?? max(stepSizes.count - 1, 0))
                paths.append(pathIndex)
            }
            let sized = try planner.run(configurations, sizes: sizes, starts: starts, runner: runner)
            for (pathIndex, trial) in zip(paths, sized) {
                results[pathIndex].steps[stepIndex].sized = trial
                if let nodes = trial.size?.nodes { previousNodes[pathIndex] = nodes }
            }
        }
        return results
    }

    /// The steps of `path` before sizing: the baseline, then each lever with the overrides accumulated so far.
    static func steps(of path: CostPath, levers: CostLevers) -> [Step] {
        var overrides: [ScenarioOverride] = []
        var sizing = levers.baselineSizing
        var steps = [
            Step(
                lever: levers.baselineTitle, key: "baseline", source: levers.baselineSource, pending: nil,
                overrides: [], sizing: sizing, sized: nil)
        ]
        for lever in path.levers {
            if lever.pending == nil {
                overrides = (overrides + lever.overrides).collapsed
                sizing = lever.sizing ?? sizing
            }
            steps.append(
                Step(
                    lever: lever.title, key: lever.key, source: lever.source, pending: lever.pending,
                    overrides: overrides, sizing: sizing, sized: nil))
        }
        return steps
    }
}
