import Foundation

/// Per-operation efficiencies of one accelerator family: how far below its data-sheet peaks the real
/// kernels run. Every figure is taken from the kernel and communication measurements listed in
/// `Docs/Calibration.md` (sections 3-4 of the shared calibration file), never from end-to-end runs.
public struct KernelCalibration: Hashable, Sendable {
    /// Matrix-multiply (GEMM and grouped GEMM) cost figures.
    public var gemm: GEMMCalibration
    /// Attention-kernel figures.
    public var attention: AttentionCalibration
    /// Expert-parallel dispatch and combine figures.
    public var communication: CommunicationCalibration
    /// Fraction of HBM bandwidth element-wise kernels (norms, activations, quantization, permutes) reach.
    public var elementwiseMemoryEfficiency: Double
    /// Fixed cost per kernel in a step beyond the kernel's own measured duration (launch, ramp-up,
    /// tail, synchronisation), in seconds.
    public var kernelFixedSeconds: Double

    /// Creates a calibration from its parts.
    public init(
        gemm: GEMMCalibration, attention: AttentionCalibration, communication: CommunicationCalibration,
        elementwiseMemoryEfficiency: Double, kernelFixedSeconds: Double
    ) {
        self.gemm = gemm
        self.attention = attention
        self.communication = communication
        self.elementwiseMemoryEfficiency = elementwiseMemoryEfficiency
        self.kernelFixedSeconds = kernelFixedSeconds
    }
}

/// The GEMM cost model's constants. A GEMM runs as output tiles spread over the streaming
/// multiprocessors in waves; each tile's main loop runs at `computeEfficiency` of the per-SM peak and
/// then pays `tileOverhead` (epilogue); the whole kernel cannot beat streaming its bytes at
/// `memoryEfficiency` of HBM bandwidth; each expert group pays a pipeline fill proportional to K.
public struct GEMMCalibration: Hashable, Sendable {
    /// Streaming multiprocessors (or AI cores) that tiles are spread over; 0 turns wave quantization off
    /// and leaves a plain roofline.
    public var multiprocessors: Int
    /// Fraction of per-SM peak a tile's main loop reaches.
    public var computeEfficiency: Double
    /// Epilogue cost per wave of tiles, in seconds.
    public var tileOverheadSeconds: Double
    /// Fraction of HBM bandwidth a memory-bound GEMM reaches.
    public var memoryEfficiency: Double
    /// Pipeline fill per expert group per unit of K, in seconds.
    public var fillSecondsPerK: Double
    /// Fixed launch cost per GEMM kernel, in seconds.
    public var launchSeconds: Double
    /// The clock a device holds under sustained serving load, as a fraction of the clock the kernel
    /// benchmarks ran at: short benchmark runs stay at boost clock, a serving step that keeps every
    /// multiprocessor busy for seconds runs power-limited. Only the step-time model applies it.
    public var sustainedClockFraction: Double

    /// Creates the constants; see the properties.
    public init(
        multiprocessors: Int, computeEfficiency: Double, tileOverheadSeconds: Double, memoryEfficiency: Double,
        fillSecondsPerK: Double, launchSeconds: Double, sustainedClockFraction: Double = 1
    ) {
        self.multiprocessors = multiprocessors
        self.computeEfficiency = computeEfficiency
        self.tileOverheadSeconds = tileOverheadSeconds
        self.memoryEfficiency = memoryEfficiency
        self.fillSecondsPerK = fillSecondsPerK
        self.launchSeconds = launchSeconds
        self.sustainedClockFraction = sustainedClockFraction
    }
}

/// Attention-kernel constants: the roofline efficiencies of the MLA/flash-attention kernels.
public struct AttentionCalibration: Hashable, Sendable {
    /// Fraction of the BF16 peak a compute-bound decode attention kernel reaches.
    public var computeEfficiency: Double
    /// Fraction of HBM bandwidth a memory-bound attention kernel reaches.
    public var memoryEfficiency: Double
    /// Query rows the MLA decode kernel computes at least (heads x query length is padded up to it).
    public var minimumQueryRows: Int
    /// Fixed cost of one attention kernel, in seconds.
    public var launchSeconds: Double
    /// Fraction of the BF16 peak a prefill (flash-attention) kernel reaches by sequence length, as
    /// benchmarked: short sequences fill the tensor cores less. Interpolated in log2 of the length and
    /// clamped at both ends; one point means a constant.
    public var prefillEfficiency: [PrefillEfficiencyPoint]
    /// The sustained-load clock over the benchmark's clock, applied to the prefill kernel under a
    /// serving step (see ``GEMMCalibration/sustainedClockFraction``).
    public var prefillSustainedClockFraction: Double

    /// Creates the constants; see the properties.
    public init(
        computeEfficiency: Double, memoryEfficiency: Double, minimumQueryRows: Int, launchSeconds: Double,
        prefillEfficiency: [PrefillEfficiencyPoint], prefillSustainedClockFraction: Double = 1
    ) {
        precondition(!prefillEfficiency.isEmpty, "the prefill efficiency curve needs at least one point")
        self.computeEfficiency = computeEfficiency
        self.memoryEfficiency = memoryEfficiency
        self.minimumQueryRows = minimumQueryRows
        self.launchSeconds = launchSeconds
        self.prefillEfficiency = prefillEfficiency.sorted { $0.sequenceTokens < $1.sequenceTokens }
        self.prefillSustainedClockFraction = prefillSustainedClockFraction
    }

    /// The prefill kernel's efficiency at `sequenceTokens`, interpolated in log2 of the length.
    public func prefillEfficiency(sequenceTokens: Double) -> Double {
        let curve = prefillEfficiency
        guard let first = curve.first, let last = curve.last else { return computeEfficiency }
        if sequenceTokens <= first.sequenceTokens { return first.efficiency }
        if sequenceTokens >= last.sequenceTokens { return last.efficiency }
        var upper = 1
        while curve[upper].sequenceTokens < sequenceTokens { upper += 1 }
        let low = curve[upper - 1]
        let high = curve[upper]
        let t = log2(sequenceTokens / low.sequenceTokens) / log2(high.sequenceTokens / low.sequenceTokens)
        return low.efficiency + t * (high.efficiency - low.efficiency)
    }
}

/// One benchmarked point of a prefill attention kernel: its efficiency at a sequence length.
public struct PrefillEfficiencyPoint: Hashable, Sendable {
    /// Sequence length of the benchmark, in tokens.
    public var sequenceTokens: Double
    /// Fraction of the BF16 peak reached.
    public var efficiency: Double

    /// Creates a point.
    public init(sequenceTokens: Double, efficiency: Double) {
        self.sequenceTokens = sequenceTokens
        self.efficiency = efficiency
    }
}

/// Expert-parallel all-to-all constants for the transports the model knows.
public struct CommunicationCalibration: Hashable, Sendable {
    /// Fraction of scale-up (NVLink) bandwidth the intranode normal kernels reach.
    public var intranodeEfficiency: Double
    /// Fraction of NIC bandwidth the internode normal kernels reach on the RDMA leg.
    public var rdmaEfficiency: Double
    /// Fraction of scale-up bandwidth the internode normal kernels reach forwarding RDMA traffic
    /// to the destination devices over NVLink.
    public var forwardingEfficiency: Double
    /// Fraction of NIC bandwidth the low-latency (pure RDMA) kernels reach at 8 ranks.
    public var lowLatencyEfficiency: Double
    /// Relative slowdown of the low-latency kernels per doubling of ranks beyond 8 (more peers,
    /// smaller messages per queue pair).
    public var lowLatencySlowdownPerDoubling: Double
    /// Fraction of scale-up bandwidth a supernode fabric (UB) all-to-all reaches.
    public var fabricEfficiency: Double
    /// Fixed cost of a supernode-fabric dispatch at 8 ranks, and its growth per doubling of ranks, in seconds.
    public var fabricDispatchBase: Double, fabricDispatchPerDoubling: Double
    /// Fixed cost of a supernode-fabric combine at 8 ranks, and its growth per doubling of ranks, in seconds.
    public var fabricCombineBase: Double, fabricCombinePerDoubling: Double
    /// Fraction of the multiprocessors the normal (SM-driven) kernels occupy while they run, which
    /// overlapped compute loses.
    public var normalKernelSMFraction: Double

    /// Creates the constants; see the properties.
    public init(
        intranodeEfficiency: Double, rdmaEfficiency: Double, forwardingEfficiency: Double,
        lowLatencyEfficiency: Double, lowLatencySlowdownPerDoubling: Double, fabricEfficiency: Double,
        fabricDispatchBase: Double, fabricDispatchPerDoubling: Double, fabricCombineBase: Double,
        fabricCombinePerDoubling: Double, normalKernelSMFraction: Double
    ) {
        self.intranodeEfficiency = intranodeEfficiency
        self.rdmaEfficiency = rdmaEfficiency
        self.forwardingEfficiency = forwardingEfficiency
        self.lowLatencyEfficiency = lowLatencyEfficiency
        self.lowLatencySlowdownPerDoubling = lowLatencySlowdownPerDoubling
        self.fabricEfficiency = fabricEfficiency
        self.fabricDispatchBase = fabricDispatchBase
        self.fabricDispatchPerDoubling = fabricDispatchPerDoubling
        self.fabricCombineBase = fabricCombineBase
        self.fabricCombinePerDoubling = fabricCombinePerDoubling
        self.normalKernelSMFraction = normalKernelSMFraction
    }
}
