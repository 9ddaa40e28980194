import Foundation

/// Inter-arrival processes a workload generator can draw from.
public enum ArrivalProcessKind: String, Hashable, Sendable, CaseIterable {
    /// Exponential inter-arrivals at a fixed rate.
    case poisson
    /// Gamma inter-arrivals with a coefficient of variation (`cv` > 1 is burstier than Poisson).
    case gamma
    /// Poisson arrivals whose rate follows a daily sine around the mean.
    case diurnal
}

/// Where request lengths come from.
public enum RequestLengthSource: Hashable, Sendable {
    /// A length table file (resolved path).
    case table(path: String)
    /// Every request has these lengths.
    case fixed(inputTokens: Int, outputTokens: Int)
}

/// A synthetic workload: an arrival process and request lengths.
public struct WorkloadGeneratorSpec: Hashable, Sendable {
    /// The arrival process.
    public var kind: ArrivalProcessKind
    /// Mean arrival rate in requests per second.
    public var rate: Double
    /// Coefficient of variation of inter-arrival times (gamma only).
    public var cv: Double?
    /// Relative swing of a diurnal rate around the mean (diurnal only, from 0 to below 1).
    public var amplitude: Double?
    /// Period of a diurnal rate (diurnal only).
    public var period: SimDuration?
    /// Request lengths.
    public var lengths: RequestLengthSource

    /// Creates a generator; `cv` is for gamma, `amplitude` and `period` for diurnal arrivals.
    public init(
        kind: ArrivalProcessKind, rate: Double, cv: Double? = nil, amplitude: Double? = nil,
        period: SimDuration? = nil, lengths: RequestLengthSource
    ) {
        self.kind = kind
        self.rate = rate
        self.cv = cv
        self.amplitude = amplitude
        self.period = period
        self.lengths = lengths
    }
}

/// The workload section of a scenario, as the file states it; the Workload module opens the trace
/// or builds the generator from it.
public struct ScenarioWorkload: Hashable, Sendable {
    /// Where requests come from.
    public enum Source: Hashable, Sendable {
        /// Replay a trace file (resolved path).
        case trace(path: String)
        /// Generate requests.
        case generator(WorkloadGeneratorSpec)
    }

    /// Where requests come from.
    public var source: Source
    /// Stop admitting arrivals after this much simulated time, or nil to run the whole trace.
    public var duration: SimDuration?
    /// Stop after this many requests, or nil for no limit.
    public var limit: Int?
    /// Multiplies every inter-arrival gap (2 stretches the trace to half the load).
    public var timeScale: Double
    /// Multiplies the arrival rate (2 doubles the load); applied on top of `timeScale`.
    public var rateScale: Double
}

extension ScenarioWorkload {
    /// Decodes the `workload` section; relative paths are resolved against `directory`.
    init(document: DocumentNode, directory: String) throws {
        let fields = try document.mapping(keys: [
            "trace", "generator", "duration_s", "limit", "time_scale", "rate_scale",
        ])
        switch (fields.optional("trace"), fields.optional("generator")) {
        case (let trace?, nil):
            source = .trace(path: resolvePath(try trace.nonEmptyString(), against: directory))
        case (nil, let generator?):
            source = .generator(try WorkloadGeneratorSpec(document: generator, directory: directory))
        case (.some, .some):
            throw document.error("give either 'trace' or 'generator', not both")
        case (nil, nil):
            throw document.error("missing 'trace' (a trace file) or 'generator' (a synthetic workload)")
        }
        duration = try fields.optional("duration_s").map { .seconds(try $0.number(.positive)) }
        limit = try fields.optional("limit")?.integer(.positive)
        timeScale = try fields.optional("time_scale")?.number(.positive) ?? 1
        rateScale = try fields.optional("rate_scale")?.number(.positive) ?? 1
    }
}

extension WorkloadGeneratorSpec {
    /// Decodes `{kind, rate, cv, amplitude, period_s, lengths}`.
    init(document: DocumentNode, directory: String) throws {
        let fields = try document.mapping(keys: ["kind", "rate", "cv", "amplitude", "period_s", "lengths"])
        kind = try fields.required("kind").oneOf(ArrivalProcessKind.self)
        rate = try fields.required("rate").number(.positive)
        cv = try fields.optional("cv")?.number(.positive)
        amplitude = try fields.optional("amplitude")?.number(.range(0...0.99))
        period = try fields.optional("period_s").map { .seconds(try $0.number(.positive)) }
        if kind == .gamma, cv == nil { throw fields.missing("cv") }
        for (key, allowedKind) in [("cv", ArrivalProcessKind.gamma), ("amplitude", .diurnal), ("period_s", .diurnal)]
        where kind != allowedKind {
            if let node = fields.optional(key) { throw node.error("'\(key)' applies only to kind \(allowedKind)") }
        }
        if kind == .diurnal {
            amplitude = amplitude ?? 0.5
            period = period ?? .seconds(86_400)
        }
        let lengths = try fields.required("lengths")
        if case .scalar = lengths.node {
            self.lengths = .table(path: resolvePath(try lengths.nonEmptyString(), against: directory))
        } else {
            let fixed = try lengths.mapping(keys: ["input_tokens", "output_tokens"])
            self.lengths = .fixed(
                inputTokens: try fixed.required("input_tokens").integer(.positive),
                outputTokens: try fixed.required("output_tokens").integer(.positive))
        }
    }
}

/// `path` made absolute against `directory` (the scenario file's folder) unless it already is.
func resolvePath(_ path: String, against directory: String) -> String {
    if path.hasPrefix("/") { return path }
    return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
        .standardizedFileURL.path
}
