import MoECore
import Testing
import Topology

@testable import PerfModel

/// Each calibration constant reproduces the published kernel figure it came from within 10%
/// (sections 3-4 of the shared calibration file; the rows are listed in `Docs/Calibration.md`).
@Suite struct KernelCalibrationTests {
    static let hopper = KernelCalibration.hopper(multiprocessors: 132)

    /// A DeepGEMM benchmark row: groups x rows-per-group, N, K and the published TFLOPS.
    struct GEMMRow: CustomTestStringConvertible, Sendable {
        var groups: Double, rows: Double, n: Double, k: Double, tflops: Double
        var testDescription: String { "\(Int(groups))x\(Int(rows)) N=\(Int(n)) K=\(Int(k)): \(tflops) TFLOPS" }
    }

    static let deepGEMMRows: [GEMMRow] = [
        .init(groups: 1, rows: 64, n: 2112, k: 7168, tflops: 206),
        .init(groups: 1, rows: 64, n: 24576, k: 1536, tflops: 289),
        .init(groups: 1, rows: 64, n: 7168, k: 2048, tflops: 295),
        .init(groups: 1, rows: 128, n: 7168, k: 16384, tflops: 645),
        .init(groups: 1, rows: 128, n: 4096, k: 7168, tflops: 533),
        .init(groups: 1, rows: 4096, n: 2112, k: 7168, tflops: 1058),
        .init(groups: 1, rows: 4096, n: 7168, k: 16384, tflops: 1358),
        .init(groups: 1, rows: 4096, n: 4096, k: 7168, tflops: 1304),
        .init(groups: 4, rows: 8192, n: 4096, k: 7168, tflops: 1297),
        .init(groups: 4, rows: 8192, n: 7168, k: 2048, tflops: 1099),
        .init(groups: 1, rows: 1024, n: 4096, k: 7168, tflops: 1233),
        .init(groups: 2, rows: 512, n: 4096, k: 7168, tflops: 1040),
        .init(groups: 4, rows: 256, n: 4096, k: 7168, tflops: 932),
        .init(groups: 1, rows: 1024, n: 7168, k: 2048, tflops: 925),
        .init(groups: 2, rows: 512, n: 7168, k: 2048, tflops: 916),
        .init(groups: 4, rows: 256, n: 7168, k: 2048, tflops: 815),
    ]

    @Test(arguments: deepGEMMRows)
    func deepGEMMRowIsReproduced(_ row: GEMMRow) {
        let model = GEMMCostModel(device: Catalog.h800, format: .fp8, calibration: Self.hopper.gemm)
        let cost = model.cost(groups: row.groups, rows: row.rows, n: row.n, k: row.k)
        let tflops = cost.flops / cost.seconds / 1e12
        #expect(abs(tflops / row.tflops - 1) <= 0.10, "predicted \(tflops) TFLOPS")
    }

    @Test func flashMLAComputeBoundDecodeReaches660TFLOPS() {
        let attention = AttentionCostModel(
            model: Catalog.deepSeekV3, device: Catalog.h800, tensorParallel: 1, kvFormat: .bf16,
            calibration: Self.hopper.attention)
        let cost = attention.decode(contextTokens: 128 * 4096, queryTokensPerSequence: 1)
        #expect(abs(cost.flops / cost.seconds / 1e12 / 660 - 1) <= 0.10)
    }

    @Test func flashMLAMemoryBoundDecodeReaches3000GBps() {
        // 16 heads per device (TP8) pad to FlashMLA's 64-row blocks: 121 FLOP/byte, below the ridge.
        let attention = AttentionCostModel(
            model: Catalog.deepSeekV3, device: Catalog.h800, tensorParallel: 8, kvFormat: .bf16,
            calibration: Self.hopper.attention)
        let cost = attention.decode(contextTokens: 128 * 4096, queryTokensPerSequence: 1)
        #expect(abs(cost.bytes / cost.seconds / 1e9 / 3000 - 1) <= 0.10)
    }

    /// An expert-parallel H800 instance of `devices` devices.
    static func communication(devices: Int, device: DeviceSpec = Catalog.h800) throws -> CommunicationCostModel {
        let topology = try ClusterTopology.smallest(holding: devices, of: device)
        let configuration = InstanceConfiguration(
            model: Catalog.deepSeekV3, topology: topology, devices: devices,
            dispatchFormat: device.key.hasPrefix("ascend") ? .int8 : .fp8)
        return CommunicationCostModel(
            configuration: configuration, calibration: KernelCalibration.forDevice(device).communication)
    }

    /// DeepEP's normal kernels, 4096 tokens: the bandwidth DeepEP reports counts one copy per
    /// destination node (internode, own node included) or per destination device (intranode).
    @Test(arguments: [(8, 153.0, 158.0), (16, 43, 43), (32, 58, 57), (64, 51, 50)])
    func deepEPNormalKernelBandwidthIsReproduced(devices: Int, dispatchGBps: Double, combineGBps: Double) throws {
        let model = try Self.communication(devices: devices)
        let copies = model.transport == .intranode ? model.devicesPerToken : model.nodesPerToken
        let dispatch = model.dispatch(tokens: 4096, receiveImbalance: 1, lowLatency: false)
        let combine = model.combine(tokens: 4096, receiveImbalance: 1, lowLatency: false)
        let dispatchBandwidth = 4096 * copies * model.dispatchMessageBytes / dispatch.seconds / 1e9
        let combineBandwidth = 4096 * copies * model.combineMessageBytes / combine.seconds / 1e9
        #expect(abs(dispatchBandwidth / dispatchGBps - 1) <= 0.10, "dispatch \(dispatchBandwidth) GB/s")
        #expect(abs(combineBandwidth / combineGBps - 1) <= 0.10, "combine \(combineBandwidth) GB/s")
    }

    /// DeepEP's low-latency kernels, 128 tokens per rank, pure RDMA (one copy per routed expert).
    @Test(arguments: [
        (8, 163.0, 318.0), (16, 173, 329), (32, 182, 350), (64, 186, 353), (128, 192, 369), (256, 194, 360),
    ])
    func deepEPLowLatencyKernelLatencyIsReproduced(devices: Int, dispatchMicros: Double, combineMicros: Double)
        throws
    {
        let topology = try ClusterTopology.smallest(holding: devices, of: Catalog.h800)
        let configuration = InstanceConfiguration(model: Catalog.deepSeekV3, topology: topology, devices: devices)
        let model = CommunicationCostModel(
            configuration: configuration, calibration: Self.hopper.communication, transport: .internode)
        let dispatch = model.dispatch(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6
        let combine = model.combine(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6
        #expect(abs(dispatch / dispatchMicros - 1) <= 0.10, "dispatch \(dispatch) µs")
        #expect(abs(combine / combineMicros - 1) <= 0.10, "combine \(combine) µs")
    }

    /// CloudMatrix384 over UB, INT8 dispatch and BF16 combine, 128 tokens per device [U].
    @Test(arguments: [(8, 116.0, 118.0), (256, 152, 149)])
    func cloudMatrixDispatchAndCombineLatencyIsReproduced(devices: Int, dispatchMicros: Double, combineMicros: Double)
        throws
    {
        let model = try Self.communication(devices: devices, device: Catalog.ascend910C)
        #expect(model.transport == .supernode)
        let dispatch = model.dispatch(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6
        let combine = model.combine(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6
        #expect(abs(dispatch / dispatchMicros - 1) <= 0.10, "dispatch \(dispatch) µs")
        #expect(abs(combine / combineMicros - 1) <= 0.10, "combine \(combine) µs")
    }

    @Test func ascendMLAReachesThePublishedFractionsOfPeak() {
        let compute = AttentionCostModel(
            model: Catalog.deepSeekV3, device: Catalog.ascend910C, tensorParallel: 1, kvFormat: .bf16,
            calibration: KernelCalibration.ascend.attention
        ).decode(contextTokens: 96 * 4096, queryTokensPerSequence: 1)
        let memory = AttentionCostModel(
            model: Catalog.deepSeekV3, device: Catalog.ascend910C, tensorParallel: 8, kvFormat: .bf16,
            calibration: KernelCalibration.ascend.attention
        ).decode(contextTokens: 96 * 4096, queryTokensPerSequence: 1)
        #expect(abs(compute.flops / compute.seconds / 707.8e12 / 0.654 - 1) <= 0.10)
        #expect(abs(memory.bytes / memory.seconds / 3.2e12 / 0.841 - 1) <= 0.10)
    }

    @Test func ascendINT8GEMMRunsAt77To83PercentOfPeak() {
        let model = GEMMCostModel(device: Catalog.ascend910C, format: .int8, calibration: KernelCalibration.ascend.gemm)
        let cost = model.cost(rows: 4096, n: 7168, k: 16384)
        let fraction = cost.flops / cost.seconds / 1504e12
        #expect(fraction >= 0.77 * 0.9 && fraction <= 0.83 * 1.1, "fraction \(fraction)")
    }
}
