/// Where the routed copies of one token sent by a device travel, on average: the quantities the
/// dispatch and combine kernels of each transport turn into link bytes.
///
/// ``CommunicationCostModel`` derives one from routing statistics alone (experts spread evenly, no
/// replica nearer than another); the placement planner derives one from a concrete placement, where
/// a replica on the sender's own node saves a NIC transfer.
public struct RouteFootprint: Hashable, Sendable {
    /// Distinct nodes other than the sender's that the token's copies reach: DeepEP's internode
    /// normal kernels send one RDMA copy to each.
    public var remoteNodes: Double
    /// Distinct devices the normal kernels forward a copy to over the scale-up links after it lands
    /// on a node.
    public var forwardedDevices: Double
    /// Distinct devices other than the sender that the token's copies reach within one scale-up
    /// domain (the intranode kernels send one copy to each).
    public var otherDevices: Double
    /// Copies sent to experts on other nodes: the low-latency kernels send each over RDMA.
    public var remoteCopies: Double
    /// Copies sent to other devices of the sender's own node (over the scale-up links; DeepEP's
    /// low-latency kernels use NVLink for them unless `allow_nvlink_for_low_latency_mode` is off).
    public var localCopies: Double

    /// Creates a footprint from its parts.
    public init(
        remoteNodes: Double, forwardedDevices: Double, otherDevices: Double, remoteCopies: Double, localCopies: Double
    ) {
        self.remoteNodes = remoteNodes
        self.forwardedDevices = forwardedDevices
        self.otherDevices = otherDevices
        self.remoteCopies = remoteCopies
        self.localCopies = localCopies
    }
}
