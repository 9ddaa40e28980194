import MoECore

/// A gamma renewal process: gaps with mean 1 / `rate` and coefficient of variation `cv`.
///
/// CV > 1 gives bursts (many short gaps, a few long ones), CV < 1 more regular arrivals than Poisson,
/// CV = 1 is Poisson. This is the burstiness model of AlpaServe, DistServe and Vidur's gamma generator:
/// shape k = 1 / cv², scale θ = cv² / rate.
public struct GammaArrivals: ArrivalProcess, Hashable {
    /// Mean arrivals per second.
    public let rate: Double
    /// Coefficient of variation of the gaps.
    public let cv: Double

    /// A gamma process with `rate` requests per second and gap CV `cv`; throws unless both are positive.
    public init(rate: Double, cv: Double) throws {
        try WorkloadError.requirePositive(rate, "gamma rate")
        try WorkloadError.requirePositive(cv, "gamma CV")
        self.rate = rate
        self.cv = cv
    }

    /// The gamma shape k = 1 / cv².
    public var shape: Double { 1 / (cv * cv) }

    /// A Gamma(1 / cv², cv² / rate) gap.
    public func nextGap(after now: SimTime, using generator: inout SeededGenerator) -> SimDuration {
        .seconds(generator.nextGamma(shape: shape, scale: cv * cv / rate))
    }
}
