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
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
            figure { margin: 0 0 32px 0; }
            figcaption { font-weight: 600; margin-bottom: 8px; }
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>
            <p>Each cell is one device in one MoE layer: its routed tokens over the layer's mean per device
            (white is the mean, red above it, blue below). Balancedness is the mean over the largest,
            averaged over layers.</p>
            \(figure(report.beforeName, report.before.metrics))
            \(figure(report.algorithm, report.after.metrics))
            \(legend())
            </body>
            </html>

            """
    }

    private static func figure(_ name: String, _ metrics: PlacementMetrics) -> String {
        let caption =
            "\(name): balancedness \(Figures.fixed(metrics.balancedness, 4)), MoE layer time "
            + "\(Figures.fixed(metrics.moeLayerTime.milliseconds, 3)) ms, NIC \(Figures.fixed(metrics.nicBytes.gigabytes, 2)) GB per step"
        return "<figure><figcaption>\(escape(caption))</figcaption>\n\(heatMap(metrics.deviceLoadShares))</figure>"
    }

    /// One SVG: rows are layers, columns devices.
    static func heatMap(_ shares: [[Double]]) -> String {
        let devices = shares.first?.count ?? 0
        let cellWidth = max(4, 720 / max(devices, 1))
        let cellHeight = 6
        let left = 40
        let width = left + devices * cellWidth
        let height = shares.count * cellHeight + 20
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
        ]
        for (layer, row) in shares.enumerated() {
            if layer % 10 == 0 {
                svg.append(
                    "<text x=\"0\" y=\"\(layer * cellHeight + cellHeight)\" font-size=\"9\">L\(layer)</text>")
            }
            for (device, share) in row.enumerated() {
                let ratio = share * Double(devices)
                svg.append(
                    "<rect x=\"\(left + device * cellWidth)\" y=\"\(layer * cellHeight)\" width=\"\(cellWidth)\" "
                        + "height=\"\(cellHeight)\" fill=\"\(color(ratio))\"><title>layer \(layer), device \(device): "
                        + "\(Figures.fixed(ratio, 3)) x mean</title></rect>")
            }
        }
        svg.append(
            "<text x=\"\(left)\" y=\"\(height - 4)\" font-size=\"9\">devices 0 to \(max(devices - 1, 0))</text></svg>")
        return svg.joined(separator: "\n")
    }

    private static func legend() -> String {
        let stops = [0.0, 0.5, 1.0, 1.5, 2.0]
        let cells = stops.enumerated().map { index, ratio in
            "<rect x=\"\(index * 60)\" y=\"0\" width=\"60\" height=\"14\" fill=\"\(color(ratio))\"/>"
                + "<text x=\"\(index * 60 + 4)\" y=\"28\" font-size=\"11\">\(Figures.fixed(ratio, 1))x</text>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"32\">\(cells.joined())</svg>"
    }

    /// White at the mean, deepening to red at twice the mean or more and to blue at zero.
    static func color(_ ratio: Double) -> String {
        let t = min(max(ratio - 1, -1), 1)
        let fade = Int((255 * (1 - abs(t))).rounded())
        return t >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
