import MoECore
import Testing
import Topology

@testable import PerfModel

/// Each calibration constant reproduces the published kernel figure it came from within 10%
/// (sections 3-4 of the shared calibration file). `kernelTable()` renders the same comparisons for
/// `Docs/Calibration.md`.
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

    /// DeepEP normal kernels: devices, dispatch and combine GB/s.
    static let deepEPNormalRows: [(Int, Double, Double)] = [(8, 153, 158), (16, 43, 43), (32, 58, 57), (64, 51, 50)]
    /// DeepEP low-latency kernels: devices, dispatch and combine µs.
    static let deepEPLowLatencyRows: [(Int, Double, Double)] = [
        (8, 163, 318), (16, 173, 329), (32, 182, 350), (64, 186, 353), (128, 192, 369), (256, 194, 360),
    ]
    /// CloudMatrix384 over UB: devices, dispatch and combine µs.
    static let cloudMatrixRows: [(Int, Double, Double)] = [(8, 116, 118), (256, 152, 149)]

    // MARK: Predictions

    static func gemmTFLOPS(_ row: GEMMRow) -> Double {
        let model = GEMMCostModel(device: Catalog.h800, format: .fp8, calibration: hopper.gemm)
        let cost = model.cost(groups: row.groups, rows: row.rows, n: row.n, k: row.k)
        return cost.flops / cost.seconds / 1e12
    }

    /// FlashMLA decode, 128 sequences of 4K: TFLOPS with 128 heads (compute-bound) and GB/s with
    /// 16 heads (TP8, padded to 64-row blocks: 121 FLOP/byte, below the ridge: memory-bound).
    static func mla(device: DeviceSpec, calibration: AttentionCalibration) -> (tflops: Double, gbps: Double) {
        func decode(_ tensorParallel: Int) -> OperationCost {
            AttentionCostModel(
                model: Catalog.deepSeekV3, device: device, tensorParallel: tensorParallel, kvFormat: .bf16,
                calibration: calibration
            ).decode(contextTokens: 128 * 4096, queryTokensPerSequence: 1)
        }
        let compute = decode(1)
        let memory = decode(8)
        return (compute.flops / compute.seconds / 1e12, memory.bytes / memory.seconds / 1e9)
    }

    static func communication(devices: Int, device: DeviceSpec, transport: ExpertTransport? = nil) throws
        -> CommunicationCostModel
    {
        let topology = try ClusterTopology.smallest(holding: devices, of: device)
        let configuration = InstanceConfiguration(
            model: Catalog.deepSeekV3, topology: topology, devices: devices,
            dispatchFormat: device.key.hasPrefix("ascend") ? .int8 : .fp8)
        return CommunicationCostModel(
            configuration: configuration, calibration: KernelCalibration.forDevice(device).communication,
            transport: transport)
    }

    /// DeepEP normal kernels, 4096 tokens, as DeepEP counts bandwidth: one copy per destination node
    /// (internode, own node included) or per destination device (intranode).
    static func normalGBps(devices: Int) throws -> (dispatch: Double, combine: Double) {
        let model = try communication(devices: devices, device: Catalog.h800)
        let copies = model.transport == .intranode ? model.devicesPerToken : model.nodesPerToken
        let dispatch = model.dispatch(tokens: 4096, receiveImbalance: 1, lowLatency: false).seconds
        let combine = model.combine(tokens: 4096, receiveImbalance: 1, lowLatency: false).seconds
        return (
            4096 * copies * model.dispatchMessageBytes / dispatch / 1e9,
            4096 * copies * model.combineMessageBytes / combine / 1e9
        )
    }

    /// DeepEP low-latency kernels, 128 tokens per rank, pure RDMA (also inside one node at EP8).
    static func lowLatencyMicros(devices: Int) throws -> (dispatch: Double, combine: Double) {
        let model = try communication(devices: devices, device: Catalog.h800, transport: .internode)
        return (
            model.dispatch(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6,
            model.combine(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6
        )
    }

    /// CloudMatrix384 over UB, INT8 dispatch and BF16 combine, 128 tokens per device [U].
    static func fabricMicros(devices: Int) throws -> (dispatch: Double, combine: Double) {
        let model = try communication(devices: devices, device: Catalog.ascend910C)
        return (
            model.dispatch(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6,
            model.combine(tokens: 128, receiveImbalance: 1, lowLatency: true).seconds * 1e6
        )
    }

    /// Fraction of INT8 peak of a large INT8 GEMM on the 910C.
    static func ascendINT8Fraction() -> Double {
        let model = GEMMCostModel(device: Catalog.ascend910C, format: .int8, calibration: KernelCalibration.ascend.gemm)
        let cost = model.cost(rows: 4096, n: 7168, k: 16384)
        return cost.flops / cost.seconds / 1504e12
    }

    static func within10Percent(_ predicted: Double, _ published: Double) -> Bool {
        abs(predicted / published - 1) <= 0.10
    }

    /// TFLOPS of the prefill attention kernel on H800 over one batch of `sequenceTokens`-token prompts, as a
    /// benchmark would see it (no sustained-clock slowdown).
    static func prefillTFLOPS(sequenceTokens: Double) -> Double {
        let mla = AttentionCostModel(
            model: Catalog.deepSeekV3, device: Catalog.h800, tensorParallel: 1, kvFormat: .bf16,
            calibration: hopper.attention)
        let tokens = 16384.0
        let cost = mla.prefill(contextProduct: tokens * sequenceTokens / 2, newTokens: tokens)
        return cost.flops / cost.seconds / 1e12
    }

    // MARK: Tests

    @Test(arguments: deepGEMMRows)
    func deepGEMMRowIsReproduced(_ row: GEMMRow) {
        #expect(Self.within10Percent(Self.gemmTFLOPS(row), row.tflops), "predicted \(Self.gemmTFLOPS(row))")
    }

    @Test func flashMLAReaches660TFLOPSComputeBoundAnd3000GBpsMemoryBound() {
        let mla = Self.mla(device: Catalog.h800, calibration: Self.hopper.attention)
        #expect(Self.within10Percent(mla.tflops, 660), "\(mla.tflops) TFLOPS")
        #expect(Self.within10Percent(mla.gbps, 3000), "\(mla.gbps) GB/s")
    }

    @Test(arguments: KernelCalibration.flashAttention3H100)
    func flashAttention3PrefillRowIsReproduced(_ point: PrefillEfficiencyPoint) {
        let tflops = Self.prefillTFLOPS(sequenceTokens: point.sequenceTokens)
        #expect(Self.within10Percent(tflops, point.efficiency * 989), "predicted \(tflops) TFLOPS")
    }

    @Test func prefillEfficiencyInterpolatesInLogLengthAndClampsAtTheEnds() {
        let attention = Self.hopper.attention
        let at1K = attention.prefillEfficiency(sequenceTokens: 1024)
        let at2K = attention.prefillEfficiency(sequenceTokens: 2048)
        let between = attention.prefillEfficiency(sequenceTokens: 1024 * 2.0.squareRoot())
        #expect(abs(between - (at1K + at2K) / 2) < 1e-12)
        #expect(attention.prefillEfficiency(sequenceTokens: 64) == 430.0 / 989)
        #expect(attention.prefillEfficiency(sequenceTokens: 1_048_576) == 621.0 / 989)
    }

    @Test(arguments: deepEPNormalRows)
    func deepEPNormalKernelBandwidthIsReproduced(row: (Int, Double, Double)) throws {
        let predicted = try Self.normalGBps(devices: row.0)
        #expect(Self.within10Percent(predicted.dispatch, row.1), "dispatch \(predicted.dispatch) GB/s")
        #expect(Self.within10Percent(predicted.combine, row.2), "combine \(predicted.combine) GB/s")
    }

    @Test(arguments: deepEPLowLatencyRows)
    func deepEPLowLatencyKernelLatencyIsReproduced(row: (Int, Double, Double)) throws {
        let predicted = try Self.lowLatencyMicros(devices: row.0)
        #expect(Self.within10Percent(predicted.dispatch, row.1), "dispatch \(predicted.dispatch) µs")
        #expect(Self.within10Percent(predicted.combine, row.2), "combine \(predicted.combine) µs")
    }

    @Test(arguments: cloudMatrixRows)
    func cloudMatrixDispatchAndCombineLatencyIsReproduced(row: (Int, Double, Double)) throws {
        #expect(try Self.communication(devices: row.0, device: Catalog.ascend910C).transport == .supernode)
        let predicted = try Self.fabricMicros(devices: row.0)
        #expect(Self.within10Percent(predicted.dispatch, row.1), "dispatch \(predicted.dispatch) µs")
        #expect(Self.within10Percent(predicted.combine, row.2), "combine \(predicted.combine) µs")
    }

    @Test func ascendMLAReachesThePublishedFractionsOfPeak() {
        let mla = Self.mla(device: Catalog.ascend910C, calibration: KernelCalibration.ascend.attention)
        #expect(Self.within10Percent(mla.tflops / 707.8, 0.654))
        #expect(Self.within10Percent(mla.gbps / 3200, 0.841))
    }

    @Test func ascendINT8GEMMRunsAt77To83PercentOfPeak() {
        #expect(Self.within10Percent(Self.ascendINT8Fraction(), 0.80))
    }

    // MARK: The table in Docs/Calibration.md

    static func kernelTable() throws -> String {
        var rows = [(String, String, Double, Double)]()
        for row in deepGEMMRows {
            let kind =
                row.groups > 1 || row.rows == 1024
                ? (row.rows >= 8192 ? "grouped contiguous" : "grouped masked") : "dense"
            rows.append(
                (
                    "DeepGEMM \(kind)", row.testDescription.components(separatedBy: ":")[0] + ", TFLOPS", row.tflops,
                    gemmTFLOPS(row)
                ))
        }
        let h800MLA = mla(device: Catalog.h800, calibration: hopper.attention)
        rows.append(("FlashMLA", "compute-bound, TFLOPS", 660, h800MLA.tflops))
        rows.append(("FlashMLA", "memory-bound, GB/s", 3000, h800MLA.gbps))
        for point in KernelCalibration.flashAttention3H100 {
            rows.append(
                (
                    "FlashAttention-3 (pytorch/benchmark)", "\(Int(point.sequenceTokens)) tokens, TFLOPS",
                    point.efficiency * 989, prefillTFLOPS(sequenceTokens: point.sequenceTokens)
                ))
        }
        for (devices, dispatch, combine) in deepEPNormalRows {
            let predicted = try normalGBps(devices: devices)
            rows.append(("DeepEP normal", "EP\(devices) dispatch, GB/s", dispatch, predicted.dispatch))
            rows.append(("DeepEP normal", "EP\(devices) combine, GB/s", combine, predicted.combine))
        }
        for (devices, dispatch, combine) in deepEPLowLatencyRows {
            let predicted = try lowLatencyMicros(devices: devices)
            rows.append(("DeepEP low-latency", "EP\(devices) dispatch, µs", dispatch, predicted.dispatch))
            rows.append(("DeepEP low-latency", "EP\(devices) combine, µs", combine, predicted.combine))
        }
        for (devices, dispatch, combine) in cloudMatrixRows {
            let predicted = try fabricMicros(devices: devices)
            rows.append(("CloudMatrix384 UB", "EP\(devices) dispatch, µs", dispatch, predicted.dispatch))
            rows.append(("CloudMatrix384 UB", "EP\(devices) combine, µs", combine, predicted.combine))
        }
        let ascendMLA = mla(device: Catalog.ascend910C, calibration: KernelCalibration.ascend.attention)
        rows.append(("910C MLA", "compute-bound, % of BF16 peak", 65.4, ascendMLA.tflops / 707.8 * 100))
        rows.append(("910C MLA", "memory-bound, % of bandwidth", 84.1, ascendMLA.gbps / 3200 * 100))
        rows.append(("910C INT8 GEMM", "M=4096 N=7168 K=16384, % of peak", 80, ascendINT8Fraction() * 100))
        var lines = ["| Source | Figure | Published | Model | Error |", "|---|---|---:|---:|---:|"]
        for (source, figure, published, predicted) in rows {
            lines.append(
                "| \(source) | \(figure) | \(String(format: "%g", published)) | \(String(format: "%.1f", predicted)) | "
                    + "\(String(format: "%+.1f%%", ((predicted / published - 1) * 1000).rounded() / 10 + 0)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
