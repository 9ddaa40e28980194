import MoECore

/// A scenario's `workload` section opened as one request stream: its trace (format detected) or its
/// generator, with the section's time and rate scaling, request limit and duration applied.
///
/// Rate scaling is applied where it keeps the workload's shape: a generator's rate and a ServeGen
/// folder's client rates are multiplied (a diurnal cycle keeps its period); a replayed trace is
/// compressed in time, since its arrivals are all it has. `time_scale` always stretches time.
///
/// A generator's `lengths` may name a length table or any trace file, whose rows then form the table
/// (the Azure conversation trace's lengths with Poisson arrivals, say).
public struct ScenarioRequestSource: RequestSource {
    private var source: TransformedSource
    private let reader: TraceReader?
    /// Simulated time after which no request arrives, when the section bounds it.
    public let duration: SimDuration?
    /// Most requests the stream yields, when the section bounds it.
    public let limit: Int?

    /// Opens `workload`.
    ///
    /// - Parameters:
    ///   - seed: seeds the generator, ServeGen's draws and the spreading of quantized trace timestamps.
    ///   - options: how trace rows are read (`skipBadRows`); its seed is replaced by `seed`.
    /// - Throws: ``WorkloadError`` naming the file and line of a bad trace or length table, or the
    ///   parameter out of range; a generator with neither `duration_s` nor `limit` is an error, since it
    ///   would never end.
    public init(_ workload: ScenarioWorkload, seed: UInt64, options: TraceReaderOptions = TraceReaderOptions())
        throws
    {
        var options = options
        options.seed = seed
        try WorkloadError.requirePositive(workload.timeScale, "workload time_scale")
        try WorkloadError.requirePositive(workload.rateScale, "workload rate_scale")
        var timeScale = workload.timeScale
        let base: any RequestSource
        switch workload.source {
        case .trace(let path):
            switch try TraceFormat.detect(path: path) {
            case .serveGen:
                reader = nil
                base = try ServeGenWorkload(
                    directory: path, options: ServeGenOptions(seed: seed, rateScale: workload.rateScale))
            default:
                let opened = try TraceFormat.open(path: path, options: options)
                reader = opened as? TraceReader
                base = opened
                timeScale /= workload.rateScale
            }
        case .generator(let generator):
            guard workload.duration != nil || workload.limit != nil else {
                throw WorkloadError.invalidParameter(
                    name: "workload", message: "a generator needs duration_s or limit, or it never ends")
            }
            reader = nil
            base = try Self.synthetic(generator, rateScale: workload.rateScale, seed: seed, options: options)
        }
        duration = workload.duration
        limit = workload.limit
        source = try TransformedSource(
            base, transform: WorkloadTransform(timeScale: timeScale, limit: workload.limit, duration: workload.duration)
        )
    }

    /// The next request, or nil at the end of the workload.
    public mutating func next() throws -> RequestSpec? { try source.next() }

    /// Malformed trace rows skipped so far (only when reading with `skipBadRows`).
    public var skippedRows: Int { reader?.skippedRows ?? 0 }
    /// The first errors of the skipped rows, naming file and line.
    public var skippedRowErrors: [WorkloadError] { reader?.skippedRowErrors ?? [] }
    /// Trace rows with 0 output tokens that were replayed with 1.
    public var clampedZeroOutputRows: Int { reader?.clampedZeroOutputRows ?? 0 }

    /// The generator's arrival process at `rateScale` times its rate, with its lengths.
    private static func synthetic(
        _ generator: WorkloadGeneratorSpec, rateScale: Double, seed: UInt64, options: TraceReaderOptions
    ) throws -> any RequestSource {
        let rate = generator.rate * rateScale
        let lengths = try lengthDistribution(generator.lengths, options: options)
        switch generator.kind {
        case .poisson:
            return try SyntheticWorkload(arrivals: PoissonArrivals(rate: rate), lengths: lengths, seed: seed)
        case .gamma:
            let arrivals = try GammaArrivals(rate: rate, cv: generator.cv ?? 1)
            return try SyntheticWorkload(arrivals: arrivals, lengths: lengths, seed: seed)
        case .diurnal:
            // The cycle starts at its trough and peaks half a period later.
            let amplitude = generator.amplitude ?? 0.5
            let curve = DiurnalArrivals.Curve.sinusoid(
                meanRate: rate, peakToTrough: (1 + amplitude) / (1 - amplitude), peakHour: 12)
            let arrivals = try DiurnalArrivals(curve: curve, dayLength: generator.period ?? .seconds(86_400))
            return try SyntheticWorkload(arrivals: arrivals, lengths: lengths, seed: seed)
        }
    }

    /// Fixed lengths, a length table, or the lengths of every request of a trace file.
    private static func lengthDistribution(_ lengths: RequestLengthSource, options: TraceReaderOptions) throws
        -> LengthDistribution
    {
        switch lengths {
        case .fixed(let input, let output):
            return .fixed(promptTokens: input, outputTokens: output)
        case .table(let path):
            switch try TraceFormat.detect(path: path) {
            case .lengthTable: return .table(try LengthTable(csvPath: path))
            case .serveGen:
                throw WorkloadError.invalidParameter(
                    name: "generator.lengths",
                    message: "\(path) is a ServeGen folder; give a length table or a trace file")
            case .azure, .mooncake, .vidur: break
            }
            var trace = try TraceFormat.open(path: path, options: options)
            return .table(try LengthTable(collecting: &trace))
        }
    }
}
