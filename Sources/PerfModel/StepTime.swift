import MoECore

/// The time of one step and where it goes.
public struct StepTime: Hashable, Sendable {
    /// Wall-clock time of the step.
    public var total: SimDuration
    /// The step split by operation; the parts sum to `total`.
    public var breakdown: StepBreakdown
    /// Model FLOPs over the instance's peak FLOPs for the weight format during the step.
    public var mfu: Double
    /// Bytes moved to and from HBM over what the devices' bandwidth could move during the step.
    public var hbmBandwidthUtilization: Double
    /// Expert-parallel bytes on the busiest link kind over what it could carry during the step.
    public var linkUtilization: Double
    /// Tokens the decode sequences gain this step, MTP's expected extra tokens included.
    public var tokensGenerated: Double

    /// Creates a step time from its parts.
    public init(
        total: SimDuration, breakdown: StepBreakdown, mfu: Double, hbmBandwidthUtilization: Double,
        linkUtilization: Double, tokensGenerated: Double
    ) {
        self.total = total
        self.breakdown = breakdown
        self.mfu = mfu
        self.hbmBandwidthUtilization = hbmBandwidthUtilization
        self.linkUtilization = linkUtilization
        self.tokensGenerated = tokensGenerated
    }
}

/// Where a step's time goes. With two micro-batches, `dispatch` and `combine` hold only the
/// communication time that compute did not hide (including compute slowed by the multiprocessors the
/// communication kernels occupy), so the parts still sum to the step time.
public struct StepBreakdown: Hashable, Sendable {
    /// Attention: projections and the attention kernel.
    public var attention: SimDuration
    /// MoE layers' expert GEMMs: routed experts on the busiest device, shared experts and router.
    public var moe: SimDuration
    /// Dense feed-forward layers.
    public var dense: SimDuration
    /// Sending tokens to their experts.
    public var dispatch: SimDuration
    /// Sending expert outputs back.
    public var combine: SimDuration
    /// Everything else: norms, activations, quantization, residuals and the output head.
    public var other: SimDuration

    /// Creates a breakdown from its parts.
    public init(
        attention: SimDuration, moe: SimDuration, dense: SimDuration, dispatch: SimDuration, combine: SimDuration,
        other: SimDuration
    ) {
        self.attention = attention
        self.moe = moe
        self.dense = dense
        self.dispatch = dispatch
        self.combine = combine
        self.other = other
    }

    /// The sum of the parts.
    public var total: SimDuration { attention + moe + dense + dispatch + combine + other }
}
