import MoECore

/// How a model routes tokens to its experts, as far as placement cares: `expertsPerToken` of
/// `experts` routed experts, chosen within at most `groupsPerToken` of `groups` contiguous expert
/// groups (DeepSeek-V3: 8 of 256 within 4 of 8 groups of 32, so a token reaches at most 4 nodes when
/// each group sits on one node).
public struct ExpertRouting: Hashable, Sendable {
    /// Routed experts per layer.
    public let experts: Int
    /// Experts each token activates (top-k).
    public let expertsPerToken: Int
    /// Expert groups (1 when routing is not group-limited).
    public let groups: Int
    /// Groups one token may route into.
    public let groupsPerToken: Int

    /// The routing of `model`, or nil for a dense model.
    public init?(model: ModelSpec) {
        guard let moe = model.moe, moe.routedExperts > 0 else { return nil }
        experts = moe.routedExperts
        expertsPerToken = moe.expertsPerToken
        let groups = moe.expertGroups > 0 && moe.routedExperts % moe.expertGroups == 0 ? moe.expertGroups : 1
        self.groups = groups
        groupsPerToken = groups > 1 ? min(max(moe.groupsPerToken, 1), groups) : 1
    }

    /// Experts per group.
    public var groupSize: Int { experts / groups }

    /// The group `expert` belongs to.
    @inline(__always)
    public func group(of expert: Int) -> Int { expert / groupSize }
}
