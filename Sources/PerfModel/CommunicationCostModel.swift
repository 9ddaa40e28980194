import Foundation
import MoECore
import Topology

/// How an instance's expert-parallel group moves tokens to their experts and back.
public enum ExpertTransport: String, Hashable, Sendable {
    /// All devices in one host that is its own scale-up domain: DeepEP's intranode kernels over NVLink/HCCS.
    case intranode
    /// Devices in a scale-up domain that spans hosts (CloudMatrix384's UB): all-to-all over the fabric,
    /// even between devices of one host.
    case supernode
    /// Several hosts joined by NICs: DeepEP's internode kernels (normal for prefill, low-latency for decode).
    case internode
}

/// The time of one MoE layer's dispatch and combine on one device, from the topology and the
/// calibrated DeepEP / CloudMatrix figures.
///
/// A token's copies go to at most the routed number of nodes; the internode normal kernels send one
/// copy per destination node over RDMA and forward it over NVLink to the destination devices, the
/// low-latency kernels send one copy per routed expert straight over RDMA, and the supernode fabric
/// sends one copy per routed expert over the scale-up links.
public struct CommunicationCostModel: Hashable, Sendable {
    /// The transport the expert-parallel group uses.
    public let transport: ExpertTransport
    /// Hosts the expert-parallel group spans.
    public let hosts: Int
    /// Expected distinct nodes a token's copies reach.
    public let nodesPerToken: Double
    /// Expected distinct devices a token's copies reach.
    public let devicesPerToken: Double
    /// Bytes of one dispatched token copy (with block scales for FP8/INT8).
    public let dispatchMessageBytes: Double
    /// Bytes of one combined token copy.
    public let combineMessageBytes: Double
    /// NIC bandwidth available to one device, bytes per second.
    public let nicBandwidth: Double
    /// Scale-up bandwidth per device per direction, bytes per second.
    public let scaleUpBandwidth: Double
    /// Where a token's copies travel when experts are spread evenly and no replica is nearer than
    /// another (what ``dispatch(tokens:receiveImbalance:lowLatency:)`` assumes). The low-latency
    /// kernels send every copy over RDMA, as DeepEP's pure-RDMA benchmark that calibrates them does.
    public let uniformFootprint: RouteFootprint
    private let calibration: CommunicationCalibration
    private let expertsPerToken: Double
    private let doublingsBeyondEight: Double
    private let scaleOutLatency: Double
    private let scaleUpLatency: Double

    /// A model for the expert-parallel group of `configuration` (its first `expertParallel` devices).
    /// `transport` overrides the one the topology implies, e.g. `.internode` for DeepEP's pure-RDMA
    /// mode inside one node.
    public init(
        configuration: InstanceConfiguration, calibration: CommunicationCalibration, transport: ExpertTransport? = nil
    ) {
        let topology = configuration.topology
        let first = DeviceID(configuration.deviceOffset)
        let last = DeviceID(configuration.deviceOffset + max(configuration.expertParallel, 1) - 1)
        let firstHost = topology.location(of: first).host
        let lastHost = topology.location(of: last).host
        hosts = lastHost - firstHost + 1
        if let transport {
            self.transport = transport
        } else if hosts == 1 && topology.host.scaleUp.domainHosts == 1 {
            self.transport = .intranode
        } else if topology.shareScaleUpDomain(first, last) {
            self.transport = .supernode
        } else {
            self.transport = .internode
        }
        let moe = configuration.model.moe
        let groups = moe?.expertGroups ?? 1
        let groupsPerToken = moe?.groupsPerToken ?? 1
        let topK = moe?.expertsPerToken ?? 0
        expertsPerToken = Double(topK)
        let expertParallel = Double(max(configuration.expertParallel, 1))
        let devicesPerHost = Double(min(configuration.expertParallel, topology.devicesPerHost))
        nodesPerToken = RoutingStatistics.expectedUnitsPerToken(
            units: hosts, groups: groups, groupsPerToken: groupsPerToken, expertsPerToken: topK)
        devicesPerToken = RoutingStatistics.expectedUnitsPerToken(
            units: configuration.expertParallel, groups: groups, groupsPerToken: groupsPerToken,
            expertsPerToken: topK)
        uniformFootprint = RouteFootprint(
            remoteNodes: nodesPerToken * (1 - 1 / Double(hosts)),
            forwardedDevices: devicesPerToken * (1 - 1 / devicesPerHost),
            otherDevices: devicesPerToken * (1 - 1 / expertParallel), remoteCopies: Double(topK), localCopies: 0)
        let hidden = Double(configuration.model.hiddenSize)
        dispatchMessageBytes = Self.messageBytes(hidden: hidden, format: configuration.dispatchFormat)
        combineMessageBytes = Self.messageBytes(hidden: hidden, format: configuration.combineFormat)
        let nic = topology.nic(serving: first)
        nicBandwidth = nic.bandwidth.bytesPerSecond / Double(max(nic.servesDevices.count, 1))
        scaleUpBandwidth = topology.device.scaleUpBandwidth.bytesPerSecond
        self.calibration = calibration
        doublingsBeyondEight = max(log2(expertParallel / 8), 0)
        let remote = DeviceID(min(configuration.deviceOffset + topology.devicesPerHost, topology.deviceCount - 1))
        scaleOutLatency = topology.path(from: first, to: remote).latency.seconds
        scaleUpLatency = topology.device.scaleUpLatency.seconds
    }

    /// Bytes of one token copy of `hidden` elements in `format`; 8-bit formats carry one FP32 scale
    /// per 128 elements, as DeepEP's FP8 dispatch does.
    public static func messageBytes(hidden: Double, format: NumericFormat) -> Double {
        let scales = format.bytesPerElement <= 1 ? hidden / 128 * 4 : 0
        return hidden * format.bytesPerElement + scales
    }

    /// One layer's dispatch for `tokens` tokens sent by one device, with the busiest receiver getting
    /// `receiveImbalance` times the mean; `lowLatency` picks the decode kernels on an internode group.
    /// `footprint` says where a token's copies go (``uniformFootprint`` unless a placement says better).
    @inline(__always)
    public func dispatch(
        tokens: Double, receiveImbalance: Double, lowLatency: Bool, footprint: RouteFootprint? = nil
    ) -> CommunicationCost {
        move(
            tokens: tokens, message: dispatchMessageBytes, imbalance: receiveImbalance, lowLatency: lowLatency,
            footprint: footprint ?? uniformFootprint, fabricBase: calibration.fabricDispatchBase,
            fabricPerDoubling: calibration.fabricDispatchPerDoubling)
    }

    /// One layer's combine; see ``dispatch(tokens:receiveImbalance:lowLatency:footprint:)``.
    @inline(__always)
    public func combine(
        tokens: Double, receiveImbalance: Double, lowLatency: Bool, footprint: RouteFootprint? = nil
    ) -> CommunicationCost {
        move(
            tokens: tokens, message: combineMessageBytes, imbalance: receiveImbalance, lowLatency: lowLatency,
            footprint: footprint ?? uniformFootprint, fabricBase: calibration.fabricCombineBase,
            fabricPerDoubling: calibration.fabricCombinePerDoubling)
    }

    /// Fraction of the multiprocessors the kernels of this transport occupy while running.
    public func smFraction(lowLatency: Bool) -> Double {
        switch transport {
        case .intranode: calibration.normalKernelSMFraction
        case .internode: lowLatency ? 0 : calibration.normalKernelSMFraction
        case .supernode: 0
        }
    }

    @inline(__always)
    private func move(
        tokens: Double, message: Double, imbalance: Double, lowLatency: Bool, footprint f: RouteFootprint,
        fabricBase: Double, fabricPerDoubling: Double
    ) -> CommunicationCost {
        guard tokens > 0, expertsPerToken > 0 else { return CommunicationCost() }
        let c = calibration
        let perToken = tokens * message * max(imbalance, 1)
        switch transport {
        case .intranode:
            let bytes = perToken * f.otherDevices
            return CommunicationCost(
                seconds: bytes / (scaleUpBandwidth * c.intranodeEfficiency) + scaleUpLatency, scaleUpBytes: bytes)
        case .supernode:
            let bytes = perToken * (f.remoteCopies + f.localCopies)
            return CommunicationCost(
                seconds: bytes / (scaleUpBandwidth * c.fabricEfficiency) + fabricBase
                    + fabricPerDoubling * doublingsBeyondEight, scaleUpBytes: bytes)
        case .internode where lowLatency:
            let remote = perToken * f.remoteCopies
            let local = perToken * f.localCopies
            let slowdown = 1 + c.lowLatencySlowdownPerDoubling * doublingsBeyondEight
            let seconds = max(
                remote / (nicBandwidth * c.lowLatencyEfficiency) * slowdown,
                local / (scaleUpBandwidth * c.intranodeEfficiency))
            return CommunicationCost(seconds: seconds + scaleOutLatency, nicBytes: remote, scaleUpBytes: local)
        case .internode:
            let remote = perToken * f.remoteNodes
            let forwarded = perToken * f.forwardedDevices
            let seconds = max(
                remote / (nicBandwidth * c.rdmaEfficiency), forwarded / (scaleUpBandwidth * c.forwardingEfficiency))
            return CommunicationCost(seconds: seconds + scaleOutLatency, nicBytes: remote, scaleUpBytes: forwarded)
        }
    }
}

/// Time and link traffic of one dispatch or combine on one device.
public struct CommunicationCost: Hashable, Sendable {
    /// Seconds the transfer takes.
    public var seconds: Double
    /// Bytes through the device's NIC.
    public var nicBytes: Double
    /// Bytes over the device's scale-up links.
    public var scaleUpBytes: Double

    /// Creates a cost.
    public init(seconds: Double = 0, nicBytes: Double = 0, scaleUpBytes: Double = 0) {
        self.seconds = seconds
        self.nicBytes = nicBytes
        self.scaleUpBytes = scaleUpBytes
    }
}
