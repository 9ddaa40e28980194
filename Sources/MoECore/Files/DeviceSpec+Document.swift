/// Reading a device entry of a catalog file. Units are in the key names: `memory_gb` (10^9 bytes),
/// `memory_bandwidth_tbps` (TB/s), `*_gb_s` (GB/s), `*_gbit_s` (Gb/s, as NICs are quoted), `*_us`.
extension DeviceSpec {
    static let documentKeys = [
        "key", "extends", "name", "peak_tflops", "memory_gb", "memory_bandwidth_tbps", "scale_up_bandwidth_gb_s",
        "scale_up_latency_us", "scale_out_bandwidth_gbit_s", "scale_out_latency_us", "host_link_bandwidth_gb_s",
        "power_watts", "price_per_hour_usd", "source",
    ]

    /// Decodes the entry `fields` with key `key`, taking absent fields from `base` (the entry it extends).
    init(key: String, fields: DocumentMapping, base: DeviceSpec?, file: String) throws {
        let positive = { (node: DocumentNode) in try node.number(.positive) }
        self.init(
            key: key,
            name: try fields.value("name", inheriting: base?.name ?? key) { try $0.nonEmptyString() },
            peakCompute: try fields.value("peak_tflops", inheriting: base?.peakCompute) { try Self.peakCompute($0) },
            memory: try fields.value("memory_gb", inheriting: base?.memory) { .gigabytes(try positive($0)) },
            memoryBandwidth: try fields.value("memory_bandwidth_tbps", inheriting: base?.memoryBandwidth) {
                .terabytesPerSecond(try positive($0))
            },
            scaleUpBandwidth: try fields.value("scale_up_bandwidth_gb_s", inheriting: base?.scaleUpBandwidth) {
                .gigabytesPerSecond(try positive($0))
            },
            scaleUpLatency: try fields.value("scale_up_latency_us", inheriting: base?.scaleUpLatency) {
                .microseconds(try $0.number(.nonNegative))
            },
            scaleOutBandwidth: try fields.value("scale_out_bandwidth_gbit_s", inheriting: base?.scaleOutBandwidth) {
                .gigabitsPerSecond(try positive($0))
            },
            scaleOutLatency: try fields.value("scale_out_latency_us", inheriting: base?.scaleOutLatency) {
                .microseconds(try $0.number(.nonNegative))
            },
            hostLinkBandwidth: try fields.value("host_link_bandwidth_gb_s", inheriting: base?.hostLinkBandwidth) {
                .gigabytesPerSecond(try positive($0))
            },
            powerWatts: try fields.value("power_watts", inheriting: base?.powerWatts, positive),
            pricePerHour: try fields.value("price_per_hour_usd", inheriting: base?.pricePerHour) {
                Dollars(try $0.number(.nonNegative))
            },
            source: try fields.value("source", inheriting: base.map { "\($0.source); overridden in \(file)" } ?? file) {
                try $0.string()
            })
    }

    /// Decodes `{bf16: 989, fp8: 1979, ...}`: dense peak TFLOPS per number format.
    private static func peakCompute(_ node: DocumentNode) throws -> [NumericFormat: ComputeRate] {
        let fields = try node.mapping(keys: NumericFormat.allCases.map(\.rawValue))
        var peaks: [NumericFormat: ComputeRate] = [:]
        for format in NumericFormat.allCases {
            if let value = fields.optional(format.rawValue) { peaks[format] = .tera(try value.number(.positive)) }
        }
        guard !peaks.isEmpty else { throw node.mismatch(expected: "at least one format, such as {bf16: 989}") }
        return peaks
    }
}
