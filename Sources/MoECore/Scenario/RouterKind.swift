/// How the cluster's router spreads arriving requests over the serving instances (the `router` key).
public enum RouterKind: String, Hashable, Sendable, CaseIterable {
    /// Each instance in turn, whatever its load.
    case roundRobin = "round_robin"
    /// The instance with the fewest tokens still to process (prompts not yet prefilled plus outputs
    /// not yet generated): join-the-shortest-queue, with the queue measured in tokens.
    case leastOutstandingWork = "least_outstanding_work"
}
