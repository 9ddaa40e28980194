/// An accelerator (GPU or NPU) as the performance model and cost accounting see it: dense peak
/// throughput per number format, memory, bandwidths, power and a default rental price.
public struct DeviceSpec: Hashable, Sendable {
    /// Catalog key, such as `h800`.
    public var key: String
    /// Display name, such as `NVIDIA H800 SXM5`.
    public var name: String
    /// Dense (no sparsity) peak tensor throughput for each supported number format.
    public var peakCompute: [NumericFormat: ComputeRate]
    /// Device memory (HBM) capacity.
    public var memory: Bytes
    /// Peak memory bandwidth.
    public var memoryBandwidth: Bandwidth
    /// Scale-up link (NVLink, HCCS, UB) bandwidth per direction per device, nominal.
    public var scaleUpBandwidth: Bandwidth
    /// One-way latency of a scale-up transfer.
    public var scaleUpLatency: SimDuration
    /// Scale-out (RDMA NIC) bandwidth available to this device, per direction, nominal.
    public var scaleOutBandwidth: Bandwidth
    /// One-way latency of a scale-out transfer.
    public var scaleOutLatency: SimDuration
    /// Host link (PCIe) bandwidth per direction, used for host-DRAM KV loads.
    public var hostLinkBandwidth: Bandwidth
    /// Board power under load, in watts.
    public var powerWatts: Double
    /// Default rental price per device-hour.
    public var pricePerHour: Dollars
    /// Where the figures come from (shown by `moeserve catalog`).
    public var source: String

    public init(
        key: String, name: String, peakCompute: [NumericFormat: ComputeRate], memory: Bytes,
        memoryBandwidth: Bandwidth, scaleUpBandwidth: Bandwidth, scaleUpLatency: SimDuration,
        scaleOutBandwidth: Bandwidth, scaleOutLatency: SimDuration, hostLinkBandwidth: Bandwidth,
        powerWatts: Double, pricePerHour: Dollars, source: String
    ) {
        self.key = key
        self.name = name
        self.peakCompute = peakCompute
        self.memory = memory
        self.memoryBandwidth = memoryBandwidth
        self.scaleUpBandwidth = scaleUpBandwidth
        self.scaleUpLatency = scaleUpLatency
        self.scaleOutBandwidth = scaleOutBandwidth
        self.scaleOutLatency = scaleOutLatency
        self.hostLinkBandwidth = hostLinkBandwidth
        self.powerWatts = powerWatts
        self.pricePerHour = pricePerHour
        self.source = source
    }

    /// Peak throughput for matrix multiplies in `format`, falling back to the nearest wider format the
    /// device runs natively (an Ascend 910 runs FP8 weights as BF16; INT4 weights are dequantized to
    /// the activation format), or nil if it has none.
    public func peak(for format: NumericFormat) -> ComputeRate? {
        let fallbacks: [NumericFormat]
        switch format {
        case .int4: fallbacks = [.int8, .fp8, .bf16, .fp16]
        case .fp8: fallbacks = [.fp8, .int8, .bf16, .fp16]
        case .int8: fallbacks = [.int8, .fp8, .bf16, .fp16]
        case .bf16: fallbacks = [.bf16, .fp16]
        case .fp16: fallbacks = [.fp16, .bf16]
        case .fp32: fallbacks = [.fp32, .bf16]
        }
        return fallbacks.lazy.compactMap { peakCompute[$0] }.first
    }
}
