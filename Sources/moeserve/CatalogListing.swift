import Foundation
import MoECore

/// The JSON form of `moeserve catalog --json`: one array per requested section, snake_case keys,
/// sizes in bytes and parameters as whole counts.
struct CatalogListing: Encodable {
    struct Model: Encodable {
        let key, name, attention, weightFormat: String
        let layers, moeLayers, hiddenSize: Int
        let routedExperts, expertsPerToken, sharedExperts: Int?
        let totalParams, activeParams: Int64
        let kvBytesPerToken, kvBytesPerTokenFp8: Int64
    }

    struct Device: Encodable {
        let key, name, source: String
        let memoryGb, memoryBandwidthTbps, scaleUpBandwidthGbS, scaleOutBandwidthGbitS, powerWatts,
            pricePerHourUsd: Double
        let peakTflops: [String: Double]
    }

    struct Host: Encodable {
        let key, name, device, scaleUp: String
        let devices, numaNodes, nics, scaleUpDomainHosts: Int
        let deviceNumaNode: [Int]
        let numaDistances: [[Int]]
    }

    var models: [Model]?
    var devices: [Device]?
    var hosts: [Host]?

    init(catalog: Catalog, sections: [CatalogCommand.Section]) {
        if sections.contains(.models) { models = catalog.models.map(Self.model) }
        if sections.contains(.devices) { devices = catalog.devices.map(Self.device) }
        if sections.contains(.hosts) { hosts = catalog.hosts.map(Self.host) }
    }

    /// Pretty-printed JSON with sorted keys, so the output is byte-identical run to run.
    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    private static func model(_ model: ModelSpec) -> Model {
        Model(
            key: model.key, name: model.name, attention: model.attention.kindName,
            weightFormat: model.nativeWeightFormat.rawValue, layers: model.layers, moeLayers: model.moeLayers,
            hiddenSize: model.hiddenSize, routedExperts: model.moe?.routedExperts,
            expertsPerToken: model.moe?.expertsPerToken, sharedExperts: model.moe?.sharedExperts,
            totalParams: Int64(model.totalParameters.rounded()), activeParams: Int64(model.activeParameters.rounded()),
            kvBytesPerToken: model.kvBytesPerToken(format: .bf16).count,
            kvBytesPerTokenFp8: model.kvBytesPerToken(format: .fp8).count)
    }

    private static func device(_ device: DeviceSpec) -> Device {
        Device(
            key: device.key, name: device.name, source: device.source, memoryGb: device.memory.gigabytes,
            memoryBandwidthTbps: device.memoryBandwidth.bytesPerSecond / 1e12,
            scaleUpBandwidthGbS: device.scaleUpBandwidth.gigabytesPerSecond,
            scaleOutBandwidthGbitS: device.scaleOutBandwidth.bytesPerSecond * 8 / 1e9, powerWatts: device.powerWatts,
            pricePerHourUsd: device.pricePerHour.amount,
            peakTflops: Dictionary(uniqueKeysWithValues: device.peakCompute.map { ($0.key.rawValue, $0.value.tera) }))
    }

    private static func host(_ host: HostSpec) -> Host {
        Host(
            key: host.key, name: host.name, device: host.deviceKey, scaleUp: host.scaleUp.kind.rawValue,
            devices: host.deviceCount, numaNodes: host.numaNodes.count, nics: host.nics.count,
            scaleUpDomainHosts: host.scaleUp.domainHosts, deviceNumaNode: host.deviceNUMANode,
            numaDistances: host.numaDistances)
    }
}
