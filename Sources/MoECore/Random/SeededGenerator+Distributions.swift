import Foundation

/// Samples from the continuous distributions that arrival processes and length models need.
extension SeededGenerator {
    /// An exponential variate with the given `rate` (mean 1 / rate), by inversion.
    public mutating func nextExponential(rate: Double) -> Double {
        precondition(rate > 0, "exponential rate must be positive, got \(rate)")
        return -log1p(-nextUnitDouble()) / rate
    }

    /// A standard normal variate (Box-Muller; one of the pair is discarded to stay stateless).
    public mutating func nextStandardNormal() -> Double {
        var u1 = nextUnitDouble()
        while u1 == 0 { u1 = nextUnitDouble() }
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A gamma variate with `shape` k and `scale` θ (mean kθ, coefficient of variation 1/√k).
    ///
    /// Marsaglia and Tsang, "A simple method for generating gamma variables", ACM TOMS 2000; for
    /// k < 1 the variate for k + 1 is scaled by U^(1/k).
    public mutating func nextGamma(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "gamma shape and scale must be positive, got \(shape), \(scale)")
        if shape < 1 {
            let boost = pow(nextUnitDouble(), 1 / shape)
            return nextGamma(shape: shape + 1, scale: scale) * boost
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = nextStandardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) {
                return d * v * scale
            }
        }
    }

    /// A Weibull variate with `shape` c and `scale` λ, by inversion.
    public mutating func nextWeibull(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "Weibull shape and scale must be positive, got \(shape), \(scale)")
        return scale * pow(-log1p(-nextUnitDouble()), 1 / shape)
    }
}
