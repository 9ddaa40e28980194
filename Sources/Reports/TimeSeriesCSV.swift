import Foundation
import MoECore

/// Writes a ``UtilizationSeries`` as two CSV files, one row per bucket and instance (`instances.csv`) or
/// device (`devices.csv`), for plotting or spreadsheets.
///
/// Every figure is a mean over its bucket (idle time counts 0): `busy_fraction` (the share of the bucket
/// the instance ran steps, a device's compute utilization), `batch_size` (requests in the batch; per
/// device, the instance's over its attention data-parallel ranks), `kv_usage`, `mfu`,
/// `hbm_bandwidth_utilization`, `link_utilization`, token rates, and expert balance: the busiest
/// expert-parallel rank's share over an even split per instance, each device's own share per device.
public enum TimeSeriesCSV {
    /// The columns of `instances.csv`.
    public static let instanceColumns = [
        "time_s", "bucket_s", "instance", "role", "devices", "busy_fraction", "batch_size", "kv_usage", "mfu",
        "hbm_bandwidth_utilization", "link_utilization", "prefill_tokens_per_s", "output_tokens_per_s",
        "expert_imbalance",
    ]
    /// The columns of `devices.csv`.
    public static let deviceColumns = [
        "time_s", "bucket_s", "device", "node", "instance", "batch_size", "kv_usage", "compute_utilization",
        "hbm_bandwidth_utilization", "mfu", "expert_load_share",
    ]

    /// Writes both files into `directory` (created if missing); returns their paths.
    /// - Throws: a `CocoaError` or POSIX error naming the path when it cannot be written.
    @discardableResult
    public static func write(_ series: UtilizationSeries, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let instancesPath = (directory as NSString).appendingPathComponent("instances.csv")
        let devicesPath = (directory as NSString).appendingPathComponent("devices.csv")
        try write(path: instancesPath, header: instanceColumns, series: series) { bucket, index, means, emit in
            let instance = series.instances[index]
            emit([
                bucket.time, bucket.width, instance.name, instance.role.rawValue, String(instance.devices),
                number(means.busySeconds), number(means.sequenceSeconds), number(means.kvUsageSeconds),
                number(means.mfuSeconds), number(means.hbmSeconds), number(means.linkSeconds),
                number(means.prefillTokens), number(means.outputTokens), number(instance.expertImbalance),
            ])
        }
        try write(path: devicesPath, header: deviceColumns, series: series) { bucket, index, means, emit in
            let instance = series.instances[index]
            for device in 0..<instance.devices {
                let share =
                    instance.expertLoadShares.isEmpty
                    ? "" : number(instance.expertLoadShares[device % instance.expertLoadShares.count])
                emit([
                    bucket.time, bucket.width, String(instance.clusterDeviceOffset + device),
                    String(instance.node(ofDevice: device)), instance.name,
                    number(means.sequenceSeconds / Double(instance.attentionDP)), number(means.kvUsageSeconds),
                    number(means.busySeconds), number(means.hbmSeconds), number(means.mfuSeconds), share,
                ])
            }
        }
        return [instancesPath, devicesPath]
    }

    /// The columns of `nodes.csv`.
    public static let nodeColumns = ["time_s", "nodes"]

    /// Writes `nodes.csv` into `directory` (created if missing): one row per change of the nodes provisioned,
    /// from time 0, each holding until the next row's time; returns its path.
    @discardableResult
    public static func writeNodes(_ capacity: ProvisionedCapacity, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("nodes.csv")
        var text = nodeColumns.joined(separator: ",") + "\n"
        for change in capacity.changes {
            text += number(change.time.seconds) + "," + number(capacity.nodes(change)) + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A bucket's start and width, formatted.
    private struct BucketLabel {
        var time: String
        var width: String
    }

    /// Writes `header` then, for every bucket and instance, the rows `rows` emits from the bucket's
    /// integrals divided by its width (so they read as means and rates).
    private static func write(
        path: String, header: [String], series: UtilizationSeries,
        rows: (BucketLabel, Int, UtilizationIntegrals, ([String]) -> Void) -> Void
    ) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var text = header.joined(separator: ",") + "\n"
        let width = series.bucketWidth.seconds
        let bucketCount = series.buckets.map(\.count).max() ?? 0
        for bucket in 0..<bucketCount {
            let label = BucketLabel(time: number(Double(bucket) * width), width: number(width))
            for index in series.instances.indices {
                let integrals = bucket < series.buckets[index].count ? series.buckets[index][bucket] : .init()
                rows(label, index, integrals.dividedBy(seconds: width)) { text += $0.joined(separator: ",") + "\n" }
            }
            if text.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// `value` with six decimals, trailing zeros dropped.
    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        var text = Figures.fixed(value, 6)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

extension UtilizationIntegrals {
    /// Each integral over `seconds`: time-weighted means, and token counts as rates.
    fileprivate func dividedBy(seconds: Double) -> UtilizationIntegrals {
        var result = UtilizationIntegrals()
        result.busySeconds = busySeconds / seconds
        result.sequenceSeconds = sequenceSeconds / seconds
        result.kvUsageSeconds = kvUsageSeconds / seconds
        result.mfuSeconds = mfuSeconds / seconds
        result.hbmSeconds = hbmSeconds / seconds
        result.linkSeconds = linkSeconds / seconds
        result.prefillTokens = prefillTokens / seconds
        result.outputTokens = outputTokens / seconds
        return result
    }
}
