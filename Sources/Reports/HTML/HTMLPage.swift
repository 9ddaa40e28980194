/// A self-contained HTML page: inline CSS and inline SVG, no scripts or external assets, so a report
/// opens the same anywhere and can be archived as one file.
public struct HTMLPage: Sendable {
    /// The page title (also its heading).
    public var title: String
    /// Paragraphs under the heading.
    public var introduction: [String]
    /// The sections, in order.
    public var sections: [Section]

    /// One titled part of the page: paragraphs, then figures (SVG or tables as HTML).
    public struct Section: Sendable {
        /// The section heading.
        public var title: String
        /// Paragraphs of text, escaped when rendered.
        public var paragraphs: [String]
        /// Figures as markup (``SVGChart`` output or an ``HTMLPage/table(header:rows:)``), each with a caption.
        public var figures: [(caption: String, markup: String)]

        /// Creates a section.
        public init(title: String, paragraphs: [String] = [], figures: [(caption: String, markup: String)] = []) {
            self.title = title
            self.paragraphs = paragraphs
            self.figures = figures
        }
    }

    /// Creates a page.
    public init(title: String, introduction: [String] = [], sections: [Section] = []) {
        self.title = title
        self.introduction = introduction
        self.sections = sections
    }

    /// The page's markup.
    public func render() -> String {
        var body = ["<h1>\(Self.escape(title))</h1>"]
        body += introduction.map { "<p>\(Self.escape($0))</p>" }
        for section in sections {
            body.append("<section><h2>\(Self.escape(section.title))</h2>")
            body += section.paragraphs.map { "<p>\(Self.escape($0))</p>" }
            for figure in section.figures {
                body.append(
                    "<figure><figcaption>\(Self.escape(figure.caption))</figcaption>\n\(figure.markup)</figure>")
            }
            body.append("</section>")
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(title))</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1100px;
                   color: #1f2328; background: #fff; line-height: 1.45; }
            h1 { font-size: 24px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d0d7de; }
            figure { margin: 12px 0 28px 0; } figcaption { font-weight: 600; margin-bottom: 6px; }
            table { border-collapse: collapse; font-size: 13px; }
            th, td { border: 1px solid #d0d7de; padding: 3px 8px; } td.n { text-align: right; }
            th { background: #f6f8fa; }
            svg text { font-family: inherit; }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// A table; cells that parse as numbers are right-aligned.
    public static func table(header: [String], rows: [[String]]) -> String {
        var lines = ["<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"]
        for row in rows {
            let cells = row.map { cell in
                let numeric = Double(cell.filter { !",%$x".contains($0) }) != nil
                return numeric ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines.append("</tbody></table>")
        return lines.joined(separator: "\n")
    }

    /// `text` with the characters HTML gives meaning escaped.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
