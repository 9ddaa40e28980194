import Deployment
import Foundation
import MoECore
import Placement

/// Re-plans an instance's expert placement from the expert loads it observed, as DeepSeek re-balances its
/// redundant experts about every ten minutes.
///
/// **Observed loads.** An instance that computed `T` tokens (prompt, decode and draft tokens) in a window
/// routed `T x k` token copies into each MoE layer (`k` experts per token). Expert `e` of layer `l` received
/// a count drawn from a Poisson distribution with mean `T x k x p(l, e)`, `p` being the scenario's
/// expert-load profile normalised per layer (even when the profile is `balanced`): the profile says how
/// popular an expert is, the window's tokens are a finite sample of it, so each window's counts differ and a
/// placement planned on one window is slightly off for the next. Draws are seeded per instance and window.
///
/// **Planning.** The placement planner (`Placement.PlacementPlanner`) plans from those counts with the
/// placement in service as `previous` and the scenario's move budget (an instance still on the contiguous
/// layout it started with is planned from scratch, as a deployment's first placement is); the new placement is adopted when it
/// is at least 1% better balanced than the old one on the same counts (which is all a serving system can
/// judge; less is the window's noise), and the instance pauses while the moved experts' weights are copied
/// (`ExpertMigration.time`).
struct ExpertRebalancer: Sendable {
    /// Time between re-plans.
    let interval: SimDuration
    /// Most expert copies one re-plan may move, nil for any.
    let maximumMoves: Int?
    private let root: SeededGenerator
    /// Re-plans done so far (the window number of the next).
    private(set) var windows = 0

    init(_ settings: ScenarioRebalancing, generator: SeededGenerator) {
        interval = settings.interval
        maximumMoves = settings.maximumMoves
        root = generator
    }

    /// What a re-plan decided for one instance.
    struct Outcome {
        /// The instance rebuilt with its new placement.
        var plan: InstancePlan
        /// The copies and their time.
        var migration: ExpertMigration
    }

    /// The least relative gain in balancedness (on the window's counts) worth moving weights for: below it,
    /// the difference is the window's sampling noise.
    static let minimumGain = 0.01

    /// Starts the next window's re-plans.
    mutating func beginWindow() { windows += 1 }

    /// The re-plan of `instance` after it computed `tokens` tokens in the window, or nil when nothing better
    /// is found (or the instance has no experts to place, or computed nothing).
    func replan(_ instance: InstancePlan, tokens: Int, deployment: DeploymentPlan) throws -> Outcome? {
        let configuration = instance.stepTimeModel.configuration
        guard let moe = configuration.model.moe, tokens > 0 else { return nil }
        let layers = configuration.model.moeLayers
        var generator = root.derived(stream: UInt64(instance.index) << 20 | UInt64(windows))
        let observed = try Self.observedLoads(
            profile: deployment.expertLoad, layers: layers, experts: moe.routedExperts,
            copies: Double(tokens) * Double(moe.expertsPerToken), generator: &generator)
        let previous =
            configuration.placement
            ?? .contiguous(
                layers: layers, experts: moe.routedExperts, devices: configuration.expertParallel,
                slotsPerDevice: configuration.slotsPerDevice)
        let request = try PlacementRequest(
            model: configuration.model, topology: instance.topology, deviceOffset: instance.deviceOffset,
            devices: configuration.expertParallel, slotsPerDevice: configuration.slotsPerDevice, loads: observed,
            weightFormat: configuration.weightFormat, phase: instance.role == .prefill ? .prefill : .decode,
            previous: previous, maximumMoves: configuration.placement == nil ? nil : maximumMoves)
        let planner = try PlacementPlanner(request)
        let planned = try planner.plan(.planner)
        let current = try planner.evaluate(previous)
        guard planned.metrics.balancedness > current.metrics.balancedness * (1 + Self.minimumGain),
            let migration = planned.migration, migration.expertsMoved > 0
        else { return nil }
        return Outcome(plan: try deployment.rebuilt(instance, placement: planned.placement), migration: migration)
    }

    /// Token copies per layer and expert in a window of `copies` copies per layer, drawn around `profile`
    /// (every expert alike when nil).
    static func observedLoads(
        profile: ExpertLoadMatrix?, layers: Int, experts: Int, copies: Double, generator: inout SeededGenerator
    ) throws -> ExpertLoadMatrix {
        var rows: [[Double]] = []
        rows.reserveCapacity(layers)
        for layer in 0..<layers {
            let weights = profile.map { Array($0.row(layer)) } ?? Array(repeating: 1, count: experts)
            let total = weights.reduce(0, +)
            rows.append(
                weights.map { weight in
                    poisson(mean: total > 0 ? copies * weight / total : copies / Double(experts), &generator)
                })
        }
        return try ExpertLoadMatrix(rows: rows)
    }

    /// A Poisson draw of mean `mean`: Knuth's product of uniforms below 30, the normal approximation (rounded,
    /// at least 0) above, where it is within a fraction of a percent.
    static func poisson(mean: Double, _ generator: inout SeededGenerator) -> Double {
        guard mean > 0 else { return 0 }
        if mean >= 30 { return max(0, (mean + mean.squareRoot() * generator.nextStandardNormal()).rounded()) }
        let limit = exp(-mean)
        var product = generator.nextUnitDouble()
        var count = 0.0
        while product > limit {
            count += 1
            product *= generator.nextUnitDouble()
        }
        return count
    }
}
