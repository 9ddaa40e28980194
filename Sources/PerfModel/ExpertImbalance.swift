import Foundation
import MoECore

/// How unevenly the MoE layers load the expert-parallel devices, reduced at construction to at most
/// four classes of layers so a step evaluation stays O(1).
///
/// Each class holds layers whose busiest device takes a similar share of the routed token copies.
/// With no measured load, routing is absolutely balanced: every device takes 1/EP of the copies.
public struct ExpertImbalance: Hashable, Sendable {
    /// One class of MoE layers.
    public struct LayerClass: Hashable, Sendable {
        /// Number of MoE layers in the class.
        public var layers: Double
        /// Mean share of the layer's routed copies that its busiest device receives.
        public var maxDeviceShare: Double
    }

    /// The classes, together covering every MoE layer.
    public let classes: [LayerClass]
    /// Devices in the expert-parallel group.
    public let devices: Int
    /// Expected maximum of `devices` standard normals: how many standard deviations the busiest of
    /// randomly routed devices sits above its mean.
    public let maximumDeviation: Double
    private let hypergeometricFactor: Double
    private let maxCopiesPerToken: Double

    /// Most classes the model evaluates per step.
    public static let maximumClasses = 4

    /// The imbalance of `moeLayers` layers over `devices` devices with `slotsPerDevice` slots each, for
    /// a model routing each token to `expertsPerToken` of `experts` experts, under `load` placed by
    /// `placement` (contiguous when nil); nil `load` is absolutely balanced routing.
    public init(
        moeLayers: Int, experts: Int, expertsPerToken: Int, devices: Int, slotsPerDevice: Int,
        load: ExpertLoadMatrix?, placement: ExpertPlacement?
    ) {
        self.devices = devices
        maximumDeviation = RoutingStatistics.expectedMaximumOfNormals(devices)
        hypergeometricFactor = experts > 1 ? Double(experts - expertsPerToken) / Double(experts - 1) : 0
        maxCopiesPerToken = Double(min(expertsPerToken, slotsPerDevice))
        guard let load, moeLayers > 0 else {
            classes = [LayerClass(layers: Double(moeLayers), maxDeviceShare: 1 / Double(max(devices, 1)))]
            return
        }
        let placement =
            placement
            ?? .contiguous(layers: moeLayers, experts: experts, devices: devices, slotsPerDevice: slotsPerDevice)
        var shares: [Double] = (0..<moeLayers).map { layer in
            let perDevice = placement.deviceLoads(layer: layer, loads: load.row(layer))
            let total = perDevice.reduce(0, +)
            return total > 0 ? perDevice.max()! / total : 1 / Double(devices)
        }
        shares.sort()
        let count = min(Self.maximumClasses, shares.count)
        classes = (0..<count).map { index in
            let slice = shares[(index * shares.count / count)..<((index + 1) * shares.count / count)]
            return LayerClass(layers: Double(slice.count), maxDeviceShare: slice.reduce(0, +) / Double(slice.count))
        }
    }

    /// Expected routed copies on the busiest device when `tokens` tokens route `copies` copies in
    /// total and the busiest device's expected share is `share`: the mean plus the expected maximum
    /// deviation of random routing (which matters at small batches), capped at what a device can receive.
    @inline(__always)
    public func expectedMaximumCopies(tokens: Double, copies: Double, share: Double) -> Double {
        guard copies > 0 else { return 0 }
        let mean = copies * share
        let deviation = (mean * (1 - share) * hypergeometricFactor).squareRoot()
        return min(mean + maximumDeviation * deviation, tokens * maxCopiesPerToken)
    }

    /// Mean share of the routed copies on the busiest device, over all MoE layers.
    public var meanMaxDeviceShare: Double {
        let layers = classes.reduce(0) { $0 + $1.layers }
        return layers > 0 ? classes.reduce(0) { $0 + $1.layers * $1.maxDeviceShare } / layers : 0
    }
}
