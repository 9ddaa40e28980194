import Foundation

/// Closed-form statistics of top-k routing that the step-time model needs: how many distinct nodes
/// and devices a token's copies reach, and how far the busiest device exceeds the mean when tokens
/// are routed at random.
public enum RoutingStatistics {
    /// Expected number of distinct bins hit by `draws` uniform draws over `bins` bins.
    public static func expectedDistinct(bins: Double, draws: Double) -> Double {
        guard bins > 1 else { return draws > 0 ? min(bins, 1) : 0 }
        return bins * (1 - pow(1 - 1 / bins, draws))
    }

    /// Expected distinct units (nodes or devices) a token reaches when `units` units split the
    /// `groups` expert groups evenly and each token picks `groupsPerToken` groups and `expertsPerToken`
    /// experts spread evenly over its groups. With `groups == 1` routing is not group-limited.
    public static func expectedUnitsPerToken(
        units: Int, groups: Int, groupsPerToken: Int, expertsPerToken: Int
    ) -> Double {
        let units = max(units, 1)
        if groups <= 1 || groupsPerToken >= groups {
            return expectedDistinct(bins: Double(units), draws: Double(expertsPerToken))
        }
        if units <= groups {
            // Whole groups per unit: a unit is missed when every chosen group avoids its groups.
            let groupsPerUnit = groups / units
            var missed = 1.0
            for index in 0..<groupsPerToken {
                missed *= max(Double(groups - groupsPerUnit - index), 0) / Double(groups - index)
            }
            return Double(units) * (1 - missed)
        }
        // Each group spans several units; a token's experts in one group spread over them.
        let unitsPerGroup = Double(units) / Double(groups)
        let expertsPerGroup = Double(expertsPerToken) / Double(groupsPerToken)
        return Double(groupsPerToken) * expectedDistinct(bins: unitsPerGroup, draws: expertsPerGroup)
    }

    /// Expected maximum of `count` independent standard normal variables (Blom's approximation
    /// Φ⁻¹((n − 0.375) / (n + 0.25)); 0 for a single variable).
    public static func expectedMaximumOfNormals(_ count: Int) -> Double {
        guard count > 1 else { return 0 }
        let n = Double(count)
        return inverseNormal((n - 0.375) / (n + 0.25))
    }

    /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
    static func inverseNormal(_ p: Double) -> Double {
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -inverseNormal(1 - p) }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
