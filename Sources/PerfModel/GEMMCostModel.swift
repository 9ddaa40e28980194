import Foundation
import MoECore

/// Time of a (grouped) matrix multiply on one device: `groups` independent products of
/// (`rows` x `k`) activations by (`k` x `n`) weights, as DeepGEMM runs them.
///
/// Output tiles of 64 or 128 rows by 128 columns run in waves over the multiprocessors; a wave takes
/// the tile's main loop at the calibrated per-SM rate plus an epilogue. Below one full wave the
/// kernel is assumed to shrink its tiles to occupy every multiprocessor. The kernel cannot beat
/// streaming its weights, inputs and outputs at the calibrated fraction of HBM bandwidth. Each group
/// then pays a pipeline fill proportional to `k`, and the kernel a launch cost.
public struct GEMMCostModel: Hashable, Sendable {
    /// Peak operations per second for the GEMM's input format.
    public let peakFLOPS: Double
    /// HBM bytes per second.
    public let memoryBandwidth: Double
    /// The calibration constants.
    public let calibration: GEMMCalibration
    /// Bytes per weight element.
    public let weightBytes: Double
    /// Bytes per input activation element (the GEMM's input format).
    public let activationBytes: Double
    private let perSMRate: Double
    private let multiprocessors: Double

    /// A model for `device` running GEMMs with weights in `format`. Under `sustainedLoad` (a serving
    /// step rather than a kernel benchmark) the on-chip work runs at the calibration's sustained clock:
    /// main loops and epilogues slow by ``GEMMCalibration/sustainedClockFraction``; HBM does not.
    public init(device: DeviceSpec, format: NumericFormat, calibration: GEMMCalibration, sustainedLoad: Bool = false) {
        let peak = device.peak(for: format) ?? device.peak(for: .bf16) ?? ComputeRate(flopsPerSecond: 1)
        peakFLOPS = peak.flopsPerSecond
        memoryBandwidth = device.memoryBandwidth.bytesPerSecond
        var calibration = calibration
        if sustainedLoad {
            calibration.computeEfficiency *= calibration.sustainedClockFraction
            calibration.tileOverheadSeconds /= calibration.sustainedClockFraction
        }
        self.calibration = calibration
        weightBytes = format.bytesPerElement
        activationBytes = format == .bf16 || format == .fp16 || format == .fp32 ? 2 : 1
        multiprocessors = Double(calibration.multiprocessors)
        perSMRate = calibration.multiprocessors > 0 ? peakFLOPS / Double(calibration.multiprocessors) : peakFLOPS
    }

    /// The cost of `groups` products of `rows` x `k` by `k` x `n`, writing BF16 outputs. `rows` may
    /// be an expectation (fractional); no rows costs nothing. A grouped GEMM (one expert per group)
    /// refills its pipeline per group; a batched one (`batched`, such as MLA's per-head absorbed
    /// projections) streams its groups through one pipeline.
    @inline(__always)
    public func cost(groups: Double = 1, rows: Double, n: Double, k: Double, batched: Bool = false) -> OperationCost {
        guard rows > 0, n > 0 else { return .zero }
        let c = calibration
        let flops = 2 * groups * rows * n * k
        var compute = flops / (peakFLOPS * c.computeEfficiency) + c.tileOverheadSeconds
        if multiprocessors > 0 {
            let blockRows: Double = rows <= 64 ? 64 : 128
            let tiles = groups * (rows / blockRows).rounded(.up) * (n / 128).rounded(.up)
            if tiles >= multiprocessors {
                let waves = (tiles / multiprocessors).rounded(.up)
                compute = waves * (2 * blockRows * 128 * k / (perSMRate * c.computeEfficiency) + c.tileOverheadSeconds)
            }
        }
        let bytes = groups * (n * k * weightBytes + rows * k * activationBytes + rows * n * 2)
        let memory = bytes / (memoryBandwidth * c.memoryEfficiency)
        let seconds = max(compute, memory) + (batched ? 1 : groups) * k * c.fillSecondsPerK + c.launchSeconds
        return OperationCost(seconds: seconds, flops: flops, bytes: bytes)
    }
}
