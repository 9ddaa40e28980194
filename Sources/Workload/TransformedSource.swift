import MoECore

/// Scaling and truncation applied to any workload: stretch or compress time, cap the request count,
/// stop at a virtual time.
public struct WorkloadTransform: Hashable, Sendable {
    /// Multiplies every arrival offset (so every inter-arrival time); 0.5 doubles the load.
    public var timeScale: Double
    /// Stop after this many requests.
    public var limit: Int?
    /// Stop before the first request arriving at or after this instant (after scaling).
    public var duration: SimDuration?

    /// A transform; the defaults change nothing.
    public init(timeScale: Double = 1, limit: Int? = nil, duration: SimDuration? = nil) {
        self.timeScale = timeScale
        self.limit = limit
        self.duration = duration
    }

    /// Multiplies the arrival rate by `multiplier` (time scale 1 / multiplier).
    public static func rateMultiplier(_ multiplier: Double, limit: Int? = nil, duration: SimDuration? = nil)
        -> WorkloadTransform
    {
        WorkloadTransform(timeScale: 1 / multiplier, limit: limit, duration: duration)
    }
}

/// A source seen through a ``WorkloadTransform``. Request ids and lengths are kept; only arrivals move.
public struct TransformedSource: RequestSource {
    private var base: any RequestSource
    /// The transform applied.
    public let transform: WorkloadTransform
    private var emitted = 0
    private var finished = false

    /// Wraps `base`; throws for a non-positive or non-finite time scale, a negative limit or duration.
    public init(_ base: any RequestSource, transform: WorkloadTransform) throws {
        try WorkloadError.requirePositive(transform.timeScale, "time scale")
        if let limit = transform.limit, limit < 0 {
            throw WorkloadError.invalidParameter(name: "limit", message: "expected at least 0, found \(limit)")
        }
        if let duration = transform.duration, duration < .zero {
            throw WorkloadError.invalidParameter(name: "duration", message: "expected at least 0, found \(duration)")
        }
        self.base = base
        self.transform = transform
    }

    /// The base's next request with its arrival scaled, or nil past the limit or duration.
    public mutating func next() throws -> RequestSpec? {
        guard !finished, emitted < transform.limit ?? Int.max, var request = try base.next() else {
            finished = true
            return nil
        }
        if transform.timeScale != 1 {
            let scaled = (Double(request.arrival.nanosecondsSinceStart) * transform.timeScale).rounded()
            guard scaled < 9e18 else {
                throw WorkloadError.invalidParameter(
                    name: "time scale", message: "arrival \(request.arrival) scaled by \(transform.timeScale) overflows"
                )
            }
            request.arrival = SimTime(nanosecondsSinceStart: Int64(scaled))
        }
        if let duration = transform.duration, request.arrival - .zero >= duration {
            finished = true
            return nil
        }
        emitted += 1
        return request
    }
}
