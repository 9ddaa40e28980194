import MoECore

/// The path a KV cache takes between two instances of one cluster.
extension ClusterTopology {
    /// The path KV cache bytes take from `source` to `destination`: over the scale-up links within one host,
    /// else over the RDMA NICs and the fabric. Transfer engines move KV between hosts with RDMA even inside a
    /// scale-up domain spanning hosts (CloudMatrix384 keeps a separate RDMA plane for prefill-to-decode KV
    /// transfers beside its UB fabric; SGLang and Mooncake use GPUDirect RDMA over the NICs).
    public func kvTransferPath(from source: DeviceID, to destination: DeviceID) -> DevicePath {
        let from = locations[source.index]
        let to = locations[destination.index]
        if source == destination || from.host == to.host { return path(from: source, to: destination) }
        let (sourceBandwidth, sourceCrosses) = scaleOutAccess(of: source)
        let (destinationBandwidth, destinationCrosses) = scaleOutAccess(of: destination)
        return DevicePath(
            kind: .scaleOut, bandwidth: min(sourceBandwidth, destinationBandwidth),
            latency: device.scaleOutLatency + cluster.fabric.latency,
            crossesSocket: sourceCrosses || destinationCrosses)
    }

    /// The bandwidth `device` reaches the NIC carrying its scale-out traffic with (the NIC's line rate, or
    /// less when the path crosses PCIe switches or sockets), and whether that path crosses sockets.
    public func scaleOutAccess(of device: DeviceID) -> (bandwidth: Bandwidth, crossesSocket: Bool) {
        let location = locations[device.index]
        let nic = host.nics[location.nic]
        let nicSocket = host.numaNodes[nic.numaNode].socket
        if nic.pcieSwitch == location.pcieSwitch { return (nic.bandwidth, false) }
        if nicSocket == location.socket { return (min(nic.bandwidth, self.device.hostLinkBandwidth), false) }
        return (min(nic.bandwidth, self.device.hostLinkBandwidth, host.interSocketBandwidth), true)
    }

    /// The cluster-wide index of the NIC carrying `device`'s scale-out traffic (hosts in order, each host's
    /// NICs in order): what transfers through the same NIC queue on.
    public func nicIndex(serving device: DeviceID) -> Int {
        let location = locations[device.index]
        return location.host * host.nics.count + location.nic
    }

    /// NICs in the cluster.
    public var nicCount: Int { hostCount * host.nics.count }
}
