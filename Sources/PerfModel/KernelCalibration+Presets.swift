import MoECore

/// The calibrations the model ships with. Each constant names the published figure it reproduces;
/// `Docs/Calibration.md` tabulates them and `KernelCalibrationTests` checks each within 10%.
extension KernelCalibration {
    /// NVIDIA Hopper (H800, H100, H200, H20) running DeepGEMM, FlashMLA and DeepEP.
    ///
    /// - GEMM: fitted jointly to all 16 DeepGEMM rows (dense M=64/128/4096, grouped contiguous and
    ///   masked); every row is reproduced within 7%.
    /// - Attention: FlashMLA on H800, 660 TFLOPS compute-bound (of 989 BF16) and 3000 GB/s
    ///   memory-bound (of 3350); FlashMLA computes query heads in blocks of 64. Prefill runs the
    ///   expanded form on a flash-attention kernel: ``flashAttention3H100`` by sequence length.
    /// - Communication: DeepEP on H800 (section 4): normal intranode EP8 153/158 GB/s, internode
    ///   EP16/32/64, low-latency EP8-EP256 latencies; DeepEP's normal kernels run on 20 SMs.
    /// - Sustained clock: the FlashMLA deep-dive reports the H800 holding ~1.6 GHz under heavy load, a
    ///   practical BF16 peak of ~865 of 989 TFLOPS; the DeepGEMM rows are short benchmark runs, so a
    ///   serving step's GEMMs run at 865/989 of their benchmarked rate (the FlashMLA figures were already
    ///   measured throttled and keep theirs). H20's 400 W part is not reported to throttle [U]: 1.
    /// - Element-wise kernels: msmodeling's default memory efficiency 0.6; every kernel of a step
    ///   pays msmodeling's 5 µs fixed cost per operation on top of its own duration (the DeepGEMM and
    ///   FlashMLA figures time kernels alone, without the gaps between them) [U for Hopper].
    public static func hopper(multiprocessors: Int, sustainedClockFraction: Double = 865.0 / 989.0)
        -> KernelCalibration
    {
        KernelCalibration(
            gemm: GEMMCalibration(
                multiprocessors: multiprocessors, computeEfficiency: 0.697, tileOverheadSeconds: 1.88e-6,
                memoryEfficiency: 0.838, fillSecondsPerK: 0.39e-9, launchSeconds: 0.44e-6,
                sustainedClockFraction: sustainedClockFraction),
            attention: AttentionCalibration(
                computeEfficiency: 660.0 / 989.0, memoryEfficiency: 3000.0 / 3350.0, minimumQueryRows: 64,
                launchSeconds: 0.44e-6, prefillEfficiency: flashAttention3H100,
                prefillSustainedClockFraction: sustainedClockFraction),
            communication: CommunicationCalibration(
                intranodeEfficiency: 0.68, rdmaEfficiency: 0.88, forwardingEfficiency: 0.57,
                lowLatencyEfficiency: 0.95, lowLatencySlowdownPerDoubling: 0.035, fabricEfficiency: 0.7,
                fabricDispatchBase: 0, fabricDispatchPerDoubling: 0, fabricCombineBase: 0, fabricCombinePerDoubling: 0,
                normalKernelSMFraction: 20.0 / Double(multiprocessors)),
            elementwiseMemoryEfficiency: 0.6, kernelFixedSeconds: 5e-6)
    }

    /// FlashAttention-3's BF16 forward pass on H100, head dimension 128, batch x length = 16K tokens, as
    /// measured by pytorch/benchmark (commit ff65cb6, PR #2391): 430, 517, 566, 590, 614 and 621 TFLOPS
    /// at 512 to 16K tokens, over the 989 TFLOPS peak. MLA's expanded prefill form (query-key 192,
    /// value 128 per head) is taken to run like head dimension 128 [U].
    public static let flashAttention3H100: [PrefillEfficiencyPoint] = [
        (512.0, 430.0), (1024, 517), (2048, 566), (4096, 590), (8192, 614), (16384, 621),
    ].map { PrefillEfficiencyPoint(sequenceTokens: $0.0, efficiency: $0.1 / 989) }

    /// Huawei Ascend 910B/910C running CANN kernels, from the CloudMatrix384 operator figures.
    ///
    /// - GEMM: INT8 GEMM at 77-83% of peak (0.80); memory-bound efficiency taken from MLA's 84.1%;
    ///   no wave model (plain roofline); every kernel pays msmodeling's 5 µs fixed cost per operation.
    /// - Attention: MLA at 65.4% of peak compute-bound and 84.1% of bandwidth memory-bound, in decode and
    ///   prefill alike (no prefill kernel figure is published).
    /// - Communication over UB: dispatch 116 µs (EP8) to 152 µs (EP256), combine 118 to 149 µs,
    ///   with msmodeling's 0.7 communication efficiency for the bandwidth term; the batch behind
    ///   those latencies is taken as 128 tokens per device [U]; the fixed terms are what remains of
    ///   the measured latency after the bandwidth term, so they reproduce the two end points exactly.
    public static let ascend = KernelCalibration(
        gemm: GEMMCalibration(
            multiprocessors: 0, computeEfficiency: 0.80, tileOverheadSeconds: 0, memoryEfficiency: 0.841,
            fillSecondsPerK: 0, launchSeconds: 0),
        attention: AttentionCalibration(
            computeEfficiency: 0.654, memoryEfficiency: 0.841, minimumQueryRows: 1, launchSeconds: 0,
            prefillEfficiency: [PrefillEfficiencyPoint(sequenceTokens: 1, efficiency: 0.654)]),
        communication: CommunicationCalibration(
            intranodeEfficiency: 0.7, rdmaEfficiency: 0.7, forwardingEfficiency: 0.7, lowLatencyEfficiency: 0.7,
            lowLatencySlowdownPerDoubling: 0, fabricEfficiency: 0.7,
            fabricDispatchBase: 88.4e-6, fabricDispatchPerDoubling: 7.2e-6,
            fabricCombineBase: 64.5e-6, fabricCombinePerDoubling: 6.2e-6, normalKernelSMFraction: 0),
        elementwiseMemoryEfficiency: 0.6, kernelFixedSeconds: 5e-6)

    /// The calibration for `device`: Ascend parts get ``ascend``; every other device is treated as a
    /// Hopper GPU with its streaming-multiprocessor count (H20: 78 [U], not throttled; other Hopper parts: 132).
    public static func forDevice(_ device: DeviceSpec) -> KernelCalibration {
        if device.key.hasPrefix("ascend") { return ascend }
        if device.key == "h20" { return hopper(multiprocessors: 78, sustainedClockFraction: 1) }
        return hopper(multiprocessors: 132)
    }
}
