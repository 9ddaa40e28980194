import Reports

/// How trial figures are written in tables: dollars with three decimals, attainment as a percentage.
enum TrialFigures {
    static func dollars(_ value: Double?) -> String { value.map { "$" + Figures.fixed($0, 3) } ?? "-" }
    static func percent(_ value: Double?) -> String { value.map { Figures.fixed($0 * 100, 1) + "%" } ?? "-" }
    static func milliseconds(_ value: Double?) -> String { value.map { Figures.fixed($0, 1) } ?? "-" }
}
