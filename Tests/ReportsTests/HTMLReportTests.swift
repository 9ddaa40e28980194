import Reports
import Testing

@Suite struct HTMLReportTests {
    @Test func pagesEscapeTextAndCarryNoExternalAssets() {
        let page = HTMLPage(
            title: "TTFT < 2 s & TPOT", introduction: ["a \"quoted\" <b>word</b>"],
            sections: [.init(title: "S", figures: [(caption: "c", markup: "<svg></svg>")])]
        ).render()
        #expect(page.contains("<h1>TTFT &lt; 2 s &amp; TPOT</h1>"))
        #expect(page.contains("a &quot;quoted&quot; &lt;b&gt;word&lt;/b&gt;"))
        #expect(page.contains("<figcaption>c</figcaption>\n<svg></svg>"))
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("<script"))
    }

    @Test func tablesRightAlignNumbers() {
        let table = HTMLPage.table(header: ["lever", "$/M"], rows: [["FP8", "$1,234.5"], ["MLA", "n/a"]])
        #expect(table.contains("<td class=\"n\">$1,234.5</td>"))
        #expect(table.contains("<td>n/a</td>"))
    }

    @Test func aLineChartDrawsEveryPointOfEverySeries() {
        let series = [
            SVGChart.Series(name: "p50", points: [(0, 1), (1, 2), (2, 3)]),
            SVGChart.Series(name: "p99", points: [(0, 2), (1, 5)]),
        ]
        let svg = SVGChart.lineChart(series, frame: .init(xTitle: "time (s)", yTitle: "ms"))
        let polylines = svg.components(separatedBy: "<polyline").dropFirst()
        #expect(polylines.count == 2)
        #expect(polylines.first?.components(separatedBy: ",").count == 4)  // three "x,y" pairs
        let stepped = SVGChart.lineChart([series[0]], frame: .init(xTitle: "t", yTitle: "nodes"), step: true)
        #expect(stepped.components(separatedBy: "<polyline").dropFirst().first?.components(separatedBy: ",").count == 6)
        #expect(svg.contains(">time (s)</text>") && svg.contains(">p99</text>"))
    }

    @Test func barsSpanTheirLowAndHighAndScatterHighlightsAFrontier() {
        let bars = [
            SVGChart.Bar(category: "dense", high: 10, label: "$10"),
            SVGChart.Bar(category: "MoE", low: 4, high: 10, label: "-$6", colorIndex: 1),
        ]
        let chart = SVGChart.barChart(bars, frame: .init(xTitle: "", yTitle: "$ per M output tokens"))
        #expect(chart.components(separatedBy: "<rect").count - 1 == 1 + 2)  // background and two bars
        #expect(chart.contains(">-$6</text>"))
        let scatter = SVGChart.scatterChart(
            [.init(name: "configs", points: [(1, 0.9), (2, 0.95), (3, 0.5)])],
            highlight: .init(name: "frontier", points: [(1, 0.9), (2, 0.95)]),
            frame: .init(xTitle: "$/M", yTitle: "SLO attainment"))
        #expect(scatter.components(separatedBy: "<circle").count - 1 == 3)
        #expect(scatter.contains("stroke-dasharray"))
    }

    @Test func heatColoursAreWhiteAtTheReferenceAndSaturate() {
        #expect(SVGChart.heat(1) == "rgb(255,255,255)")
        #expect(SVGChart.heat(2) == "rgb(255,0,0)" && SVGChart.heat(5) == "rgb(255,0,0)")
        #expect(SVGChart.heat(0) == "rgb(0,0,255)")
        #expect(SVGChart.label(1_234_567) == "1.23M" && SVGChart.label(25_000) == "25k")
    }
}
