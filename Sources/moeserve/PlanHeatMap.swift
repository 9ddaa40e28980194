import Foundation
import Placement
import Reports

/// The `--html` page of `moeserve plan`: one SVG heat map per placement (MoE layers down, devices
/// across, each cell the device's load over the layer's mean), before and after, in one file with
/// no external assets.
enum PlanHeatMap {
    /// The whole page.
    static func page(_ report: PlanReport) -> String {
        let request = report.request
        let title = "\(request.model.name): expert placement on \(request.devices) x \(request.topology.device.name)"
        let introduction =
            "Each cell is one device in one MoE layer: its routed tokens over the layer's mean per device (white "
            + "is the mean, red above it, blue below). Balancedness is the mean over the largest, averaged over layers."
        let section = HTMLPage.Section(
            title: "Device loads before and after",
            figures: [
                figure(report.beforeName, report.before.metrics), figure(report.algorithm, report.after.metrics),
                (caption: "Colour scale (device load over the layer mean)", markup: SVGChart.heatLegend()),
            ])
        return HTMLPage(title: title, introduction: [introduction], sections: [section]).render()
    }

    private static func figure(_ name: String, _ metrics: PlacementMetrics) -> (caption: String, markup: String) {
        let caption =
            "\(name): balancedness \(Figures.fixed(metrics.balancedness, 4)), MoE layer time "
            + "\(Figures.fixed(metrics.moeLayerTime.milliseconds, 3)) ms, NIC \(Figures.fixed(metrics.nicBytes.gigabytes, 2)) GB per step"
        return (caption, heatMap(metrics.deviceLoadShares))
    }

    /// One SVG: rows are layers, columns devices, each cell the device's share over the mean share.
    static func heatMap(_ shares: [[Double]]) -> String {
        let devices = shares.first?.count ?? 0
        return SVGChart.heatMap(
            shares, reference: 1 / Double(max(devices, 1)), rowLabel: "L", columnLabel: "device")
    }
}
