import Foundation

/// Inline SVG charts for the HTML reports: line charts (time series, CDFs), scatter plots (a Pareto
/// frontier), bar charts (cost breakdowns, waterfalls) and heat maps. Each renders to one `<svg>`
/// element with axes, ticks and a legend, sized in pixels; values are data coordinates.
public enum SVGChart {
    /// A palette that stays readable on white and in grey scale.
    public static let palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#57606a", "#e16f24"]

    /// One named series of points.
    public struct Series: Sendable {
        /// The legend name.
        public var name: String
        /// The points, in drawing order.
        public var points: [(x: Double, y: Double)]

        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// Axis titles and the plot size.
    public struct Frame: Sendable {
        /// Title of the horizontal axis.
        public var xTitle: String
        /// Title of the vertical axis.
        public var yTitle: String
        /// Width of the whole chart in pixels.
        public var width: Double
        /// Height of the whole chart in pixels.
        public var height: Double
        /// Whether the vertical axis starts at zero (else at the data's minimum).
        public var yFromZero: Bool
        /// Whether the horizontal axis is logarithmic (ticks at powers of ten; values at or below 0 are drawn
        /// at the smallest positive one), for distributions with long tails.
        public var xLogarithmic: Bool

        /// Creates a frame.
        public init(
            xTitle: String, yTitle: String, width: Double = 720, height: Double = 300, yFromZero: Bool = true,
            xLogarithmic: Bool = false
        ) {
            self.xTitle = xTitle
            self.yTitle = yTitle
            self.width = width
            self.height = height
            self.yFromZero = yFromZero
            self.xLogarithmic = xLogarithmic
        }
    }

    /// Lines through each series' points (`step` draws a staircase, for counts over time).
    public static func lineChart(_ series: [Series], frame: Frame, step: Bool = false) -> String {
        var plot = Plot(frame: frame, points: series.flatMap(\.points))
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            var coordinates: [String] = []
            var previous: (x: Double, y: Double)?
            for point in line.points {
                if step, let last = previous { coordinates.append(plot.coordinate(x: point.x, y: last.y)) }
                coordinates.append(plot.coordinate(x: point.x, y: point.y))
                previous = point
            }
            plot.body.append(
                "<polyline fill=\"none\" stroke=\"\(color(index))\" stroke-width=\"1.8\" points=\"\(coordinates.joined(separator: " "))\"/>"
            )
        }
        return plot.render(legend: series.map(\.name))
    }

    /// Dots for each series, with `highlight` (such as a Pareto frontier) joined by a line.
    public static func scatterChart(_ series: [Series], highlight: Series? = nil, frame: Frame) -> String {
        var plot = Plot(frame: frame, points: series.flatMap(\.points) + (highlight?.points ?? []))
        for (index, group) in series.enumerated() {
            for point in group.points {
                let (x, y) = plot.position(x: point.x, y: point.y)
                plot.body.append(
                    "<circle cx=\"\(fixed(x))\" cy=\"\(fixed(y))\" r=\"3.5\" fill=\"\(color(index))\" fill-opacity=\"0.75\">"
                        + "<title>\(HTMLPage.escape(group.name)): (\(label(point.x)), \(label(point.y)))</title></circle>"
                )
            }
        }
        var names = series.map(\.name)
        if let highlight, !highlight.points.isEmpty {
            let coordinates = highlight.points.map { plot.coordinate(x: $0.x, y: $0.y) }.joined(separator: " ")
            plot.body.append(
                "<polyline fill=\"none\" stroke=\"#1f2328\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" points=\"\(coordinates)\"/>"
            )
            names.append(highlight.name)
        }
        return plot.render(legend: names, legendColors: series.indices.map(color) + ["#1f2328"])
    }

    /// One bar per category; each bar spans `low` to `high` (a waterfall step floats, a plain bar has
    /// `low` 0), labelled with `label`.
    public struct Bar: Sendable {
        /// The category under the bar.
        public var category: String
        /// Where the bar starts.
        public var low: Double
        /// Where the bar ends.
        public var high: Double
        /// Text printed above the bar.
        public var label: String
        /// Index into ``palette``.
        public var colorIndex: Int

        /// Creates a bar.
        public init(category: String, low: Double = 0, high: Double, label: String, colorIndex: Int = 0) {
            self.category = category
            self.low = low
            self.high = high
            self.label = label
            self.colorIndex = colorIndex
        }
    }

    /// Vertical bars, one per category, in order.
    public static func barChart(_ bars: [Bar], frame: Frame) -> String {
        let points = bars.flatMap { [(x: 0.0, y: $0.low), (x: 0.0, y: $0.high)] }
        var plot = Plot(frame: frame, points: points, categories: bars.map(\.category))
        let slot = plot.plotWidth / Double(max(bars.count, 1))
        for (index, bar) in bars.enumerated() {
            let left = plot.left + Double(index) * slot + slot * 0.15
            let top = plot.yPixel(max(bar.low, bar.high))
            let bottom = plot.yPixel(min(bar.low, bar.high))
            plot.body.append(
                "<rect x=\"\(fixed(left))\" y=\"\(fixed(top))\" width=\"\(fixed(slot * 0.7))\" "
                    + "height=\"\(fixed(max(bottom - top, 1)))\" fill=\"\(color(bar.colorIndex))\">"
                    + "<title>\(HTMLPage.escape(bar.category)): \(HTMLPage.escape(bar.label))</title></rect>")
            plot.body.append(
                "<text x=\"\(fixed(left + slot * 0.35))\" y=\"\(fixed(top - 4))\" font-size=\"11\" "
                    + "text-anchor=\"middle\">\(HTMLPage.escape(bar.label))</text>")
        }
        return plot.render(legend: [])
    }

    /// A grid of cells, rows top to bottom, each coloured by `value / reference`: white at 1, red above,
    /// blue below (saturating at 0 and 2); rows are `cellHeight` pixels high (labelled every tenth row).
    public static func heatMap(
        _ rows: [[Double]], reference: Double, rowLabel: String, columnLabel: String, cellHeight: Int = 6
    ) -> String {
        let columns = rows.first?.count ?? 0
        let cellWidth = max(4, 720 / max(columns, 1))
        let left = 40
        let width = left + columns * cellWidth
        let height = rows.count * cellHeight + 20
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
        ]
        for (row, values) in rows.enumerated() {
            if row % (cellHeight >= 10 ? 1 : 10) == 0 {
                svg.append(
                    "<text x=\"0\" y=\"\(row * cellHeight + cellHeight)\" font-size=\"9\">\(rowLabel)\(row)</text>")
            }
            for (column, value) in values.enumerated() {
                let ratio = reference > 0 ? value / reference : 0
                svg.append(
                    "<rect x=\"\(left + column * cellWidth)\" y=\"\(row * cellHeight)\" width=\"\(cellWidth)\" "
                        + "height=\"\(cellHeight)\" fill=\"\(heat(ratio))\"><title>\(rowLabel)\(row), "
                        + "\(columnLabel) \(column): \(label(ratio)) x</title></rect>")
            }
        }
        svg.append(
            "<text x=\"\(left)\" y=\"\(height - 4)\" font-size=\"9\">\(columnLabel)s 0 to \(max(columns - 1, 0))</text></svg>"
        )
        return svg.joined(separator: "\n")
    }

    /// The heat map's colour scale as a strip of labelled cells.
    public static func heatLegend() -> String {
        let cells = [0.0, 0.5, 1.0, 1.5, 2.0].enumerated().map { index, ratio in
            "<rect x=\"\(index * 60)\" y=\"0\" width=\"60\" height=\"14\" fill=\"\(heat(ratio))\"/>"
                + "<text x=\"\(index * 60 + 4)\" y=\"28\" font-size=\"11\">\(label(ratio))x</text>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"32\">\(cells.joined())</svg>"
    }

    /// White at 1, deepening to red at 2 or more and to blue at 0.
    public static func heat(_ ratio: Double) -> String {
        let t = min(max(ratio - 1, -1), 1)
        let fade = Int((255 * (1 - abs(t))).rounded())
        return t >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    static func fixed(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A compact tick or tooltip label: 3 significant digits, thousands as k, millions as M.
    public static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e6 { return String(format: "%.3gM", value / 1e6) }
        if magnitude >= 1e4 { return String(format: "%.3gk", value / 1e3) }
        if magnitude >= 1e3 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }
}

/// Axes, scales and the drawing area shared by the charts.
private struct Plot {
    let frame: SVGChart.Frame
    let left = 64.0
    let right = 16.0
    let top = 28.0
    let bottom = 46.0
    /// The horizontal range, in log10 units when the frame is logarithmic.
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    let categories: [String]
    var body: [String] = []

    init(frame: SVGChart.Frame, points: [(x: Double, y: Double)], categories: [String] = []) {
        self.frame = frame
        self.categories = categories
        let xs = points.map(\.x).filter(\.isFinite)
        let ys = points.map(\.y).filter(\.isFinite)
        if frame.xLogarithmic {
            let positive = xs.filter { $0 > 0 }
            let low = log10(positive.min() ?? 1)
            let high = log10(positive.max() ?? 10)
            xRange = Self.padded(low.rounded(.down), max(high.rounded(.up), low.rounded(.down) + 1))
        } else {
            xRange = Self.padded(xs.min() ?? 0, xs.max() ?? 1)
        }
        let yLow = frame.yFromZero ? min(0, ys.min() ?? 0) : (ys.min() ?? 0)
        yRange = Self.padded(yLow, ys.max() ?? 1)
    }

    var plotWidth: Double { frame.width - left - right }
    var plotHeight: Double { frame.height - top - bottom }

    static func padded(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        if high > low { return low...high }
        return (low - 1)...(high + 1)
    }

    func xPixel(_ x: Double) -> Double {
        let value = frame.xLogarithmic ? log10(max(x, pow(10, xRange.lowerBound))) : x
        return left + (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }

    func yPixel(_ y: Double) -> Double {
        top + plotHeight - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
    }

    func position(x: Double, y: Double) -> (Double, Double) { (xPixel(x), yPixel(y)) }

    func coordinate(x: Double, y: Double) -> String { "\(SVGChart.fixed(xPixel(x))),\(SVGChart.fixed(yPixel(y)))" }

    func render(legend: [String], legendColors: [String]? = nil) -> String {
        let width = SVGChart.fixed(frame.width)
        let height = SVGChart.fixed(frame.height)
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" role=\"img\">",
            "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>",
        ]
        let axisBottom = top + plotHeight
        svg.append(
            "<line x1=\"\(left)\" y1=\"\(axisBottom)\" x2=\"\(left + plotWidth)\" y2=\"\(axisBottom)\" stroke=\"#57606a\"/>"
        )
        svg.append("<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(axisBottom)\" stroke=\"#57606a\"/>")
        for tick in 0...4 {
            let y = yRange.lowerBound + Double(tick) / 4 * (yRange.upperBound - yRange.lowerBound)
            let pixel = SVGChart.fixed(yPixel(y))
            svg.append(
                "<line x1=\"\(left)\" y1=\"\(pixel)\" x2=\"\(left + plotWidth)\" y2=\"\(pixel)\" stroke=\"#eaeef2\"/>")
            svg.append(
                "<text x=\"\(left - 6)\" y=\"\(pixel)\" font-size=\"11\" text-anchor=\"end\" "
                    + "dominant-baseline=\"middle\">\(SVGChart.label(y))</text>")
        }
        if frame.xLogarithmic {
            for decade in Int(xRange.lowerBound)...Int(xRange.upperBound) {
                let x = pow(10, Double(decade))
                svg.append(
                    "<text x=\"\(SVGChart.fixed(xPixel(x)))\" y=\"\(axisBottom + 16)\" font-size=\"11\" "
                        + "text-anchor=\"middle\">\(SVGChart.label(x))</text>")
            }
        } else if categories.isEmpty {
            for tick in 0...5 {
                let x = xRange.lowerBound + Double(tick) / 5 * (xRange.upperBound - xRange.lowerBound)
                svg.append(
                    "<text x=\"\(SVGChart.fixed(xPixel(x)))\" y=\"\(axisBottom + 16)\" font-size=\"11\" "
                        + "text-anchor=\"middle\">\(SVGChart.label(x))</text>")
            }
        } else {
            let slot = plotWidth / Double(categories.count)
            for (index, category) in categories.enumerated() {
                svg.append(
                    "<text x=\"\(SVGChart.fixed(left + (Double(index) + 0.5) * slot))\" y=\"\(axisBottom + 16)\" "
                        + "font-size=\"10\" text-anchor=\"middle\">\(HTMLPage.escape(category))</text>")
            }
        }
        svg.append(
            "<text x=\"\(SVGChart.fixed(left + plotWidth / 2))\" y=\"\(SVGChart.fixed(frame.height - 8))\" "
                + "font-size=\"12\" text-anchor=\"middle\">\(HTMLPage.escape(frame.xTitle))</text>")
        svg.append(
            "<text x=\"14\" y=\"\(SVGChart.fixed(top + plotHeight / 2))\" font-size=\"12\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 14 \(SVGChart.fixed(top + plotHeight / 2)))\">\(HTMLPage.escape(frame.yTitle))</text>"
        )
        svg += body
        let colors = legendColors ?? legend.indices.map(SVGChart.color)
        for (index, name) in legend.enumerated() {
            let x = left + Double(index) * 150
            svg.append(
                "<rect x=\"\(SVGChart.fixed(x))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(colors[index])\"/>")
            svg.append(
                "<text x=\"\(SVGChart.fixed(x + 16))\" y=\"16\" font-size=\"11\">\(HTMLPage.escape(name))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }
}
