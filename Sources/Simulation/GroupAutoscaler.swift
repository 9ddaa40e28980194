import DequeModule
import MoECore

/// The controller of one autoscaled instance group: how many of its instances it wants, when it next
/// decides, and (load-driven) the recommendations of its scale-in window.
///
/// A schedule wants what the schedule says and decides at each of its steps. Load-driven control follows
/// Kubernetes' Horizontal Pod Autoscaler: `desired = ceil(current x metric / target)` for each metric given
/// (mean queueing delay, mean KV usage), the larger wins; no change within a 10% tolerance of the target;
/// scale-out at once, scale-in only to the highest recommendation of the last `scaleInDelay` (the HPA's
/// stabilization window), clamped to the group's bounds.
struct GroupAutoscaler: Sendable {
    /// The group in the scenario.
    let group: Int
    /// Its instances, in deployment order.
    let members: [Int]
    /// Its policy.
    let policy: ScenarioAutoscaling
    /// Load-driven recommendations within the scale-in window: (time in nanoseconds, instances).
    private var recommendations = Deque<(time: Int64, instances: Int)>()

    /// The HPA's tolerance around the target within which nothing changes.
    static let tolerance = 0.1

    init(group: Int, members: [Int], policy: ScenarioAutoscaling) {
        self.group = group
        self.members = members
        self.policy = policy
    }

    /// The instances wanted at time 0.
    var initialInstances: Int { policy.scheduledInstances(at: .zero) ?? members.count }

    /// The instances wanted at `now`, with `current` instances serving or warming up, whose mean queueing
    /// delay and mean KV usage are as given (nil when nothing was measured).
    mutating func desired(at now: SimTime, current: Int, queueDelay: SimDuration?, kvUsage: Double?) -> Int {
        if let scheduled = policy.scheduledInstances(at: now) { return scheduled }
        guard case .load(let targets) = policy.policy else { return current }
        var ratio: Double?
        if let target = targets.queueDelay, let queueDelay {
            ratio = max(ratio ?? 0, queueDelay.seconds / target.seconds)
        }
        if let target = targets.kvUsage, let kvUsage { ratio = max(ratio ?? 0, kvUsage / target) }
        var wanted = current
        if let ratio, abs(ratio - 1) > Self.tolerance {
            wanted = Int((Double(max(current, 1)) * ratio).rounded(.up))
        }
        wanted = min(members.count, max(targets.minimumInstances, wanted))
        let time = now.nanosecondsSinceStart
        recommendations.append((time, wanted))
        while let oldest = recommendations.first, oldest.time < time - targets.scaleInDelay.nanoseconds {
            recommendations.removeFirst()
        }
        if wanted >= current { return wanted }
        return min(current, recommendations.reduce(0) { max($0, $1.instances) })
    }

    /// When the controller next decides after `now`.
    func nextDecision(after now: SimTime) -> SimTime {
        switch policy.policy {
        case .load(let targets):
            return now + targets.interval
        case .schedule(let steps, let period):
            let periodStart = now.nanosecondsSinceStart - now.nanosecondsSinceStart % period.nanoseconds
            let offset = now.nanosecondsSinceStart - periodStart
            let next = steps.first { $0.offset.nanoseconds > offset }?.offset.nanoseconds ?? period.nanoseconds
            return SimTime(nanosecondsSinceStart: periodStart + next)
        }
    }
}
