import TianshanModel
import TianshanTables

/// Draws a computed table as an inline SVG chart, with a text description and the data table as its text alternative.
public enum ChartSVG {
    public struct ChartError: Error, Equatable {
        public var field: String
        public var message: String
    }

    /// Series colours: distinguishable for common colour-vision deficiencies and dark enough for white text nearby.
    static let palette = ["#0b5c8a", "#d97a06", "#2a8a7e", "#b4432f", "#6c5ba7", "#5f6f7e", "#a88a12", "#3d7a3d"]

    static let width = 720.0
    static let fontSize = 13.0

    public static func render(_ table: Table, kind: ChartKind, x: String?, y: [String], scale: String?,
                              downloads: TableHTML.Downloads?) -> Result<String, ChartError> {
        guard let labelIndex = x.map({ key in table.columns.firstIndex { $0.key == key } }) ?? table.columns.firstIndex(where: { !$0.numeric }) else {
            return .failure(ChartError(field: "x", message: x.map { "no column '\($0)' for the chart's labels" } ?? "the chart needs a text column for its labels"))
        }
        var valueIndexes: [Int] = []
        for key in y {
            guard let index = table.columns.firstIndex(where: { $0.key == key }), table.columns[index].numeric else {
                return .failure(ChartError(field: "y", message: "no numeric column '\(key)' for the chart's values"))
            }
            valueIndexes.append(index)
        }
        if valueIndexes.isEmpty {
            guard let first = table.columns.firstIndex(where: \.numeric) else {
                return .failure(ChartError(field: "y", message: "the chart needs a numeric column"))
            }
            valueIndexes = kind == .groupedBar ? table.columns.indices.filter { table.columns[$0].numeric } : [first]
        }
        let rows = table.dataRows
        let id = "chart-" + table.id
        let svg: String
        switch kind {
        case .bar: svg = bars(rows, labelIndex: labelIndex, values: [valueIndexes[0]], table: table, id: id, perRowScale: false)
        case .groupedBar: svg = bars(rows, labelIndex: labelIndex, values: valueIndexes, table: table, id: id, perRowScale: scale == "row")
        case .share: svg = share(rows, labelIndex: labelIndex, valueIndex: valueIndexes[0], table: table, id: id)
        }
        // The figure has the spec's own id, which cross-references and links name; the SVG's parts use the prefixed one.
        var html = "<figure class=\"chart\" id=\"\(TableHTML.escape(table.id))\">\n\(svg)"
        var fallback = table
        fallback.id = id + "-data"
        fallback.label = nil
        html += "<details class=\"chart-data\"><summary>\(TableHTML.escape(table.words("chart.data")))</summary>\n\(TableHTML.render(fallback, downloads: downloads))</details>\n"
        // A figcaption must be the figure's first or last child.
        if let caption = table.captionHTML { html += "<figcaption>\(caption)"
            + (table.source.map { "<span class=\"table-source\">\(TableHTML.escape(table.words("table.source", ["source": $0])))</span>" } ?? "") + "</figcaption>\n" }
        html += "</figure>\n"
        return .success(html)
    }

    // MARK: Bars

    static func bars(_ rows: [TableRow], labelIndex: Int, values: [Int], table: Table, id: String, perRowScale: Bool) -> String {
        let labels = rows.map { table.columns[labelIndex].text($0.cells[labelIndex]) }
        let labelWidth = min(240, max(60, labels.map(textWidth).max() ?? 60)) + 12
        let valueWidth = 110.0
        let barArea = width - labelWidth - valueWidth
        let barHeight = values.count == 1 ? 18.0 : 14.0
        let groupHeight = Double(values.count) * barHeight + 12
        let legendHeight = values.count > 1 ? 28.0 : 0
        let height = legendHeight + Double(rows.count) * groupHeight + 8
        let globalMax = rows.flatMap { row in values.compactMap { row.cells[$0].number } }.map { max($0, 0) }.max() ?? 0

        var svg = header(id: id, height: height, title: table.title ?? table.id,
                         description: describe(rows, labelIndex: labelIndex, values: values, table: table))
        if values.count > 1 {
            var x = labelWidth
            for (series, column) in values.enumerated() {
                let name = table.columns[column].header
                svg += "<rect x=\"\(fmt(x))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(palette[series % palette.count])\"/>"
                svg += "<text x=\"\(fmt(x + 16))\" y=\"16\">\(TableHTML.escape(name))</text>\n"
                x += 16 + textWidth(name) + 24
            }
        }
        for (rowIndex, row) in rows.enumerated() {
            let top = legendHeight + Double(rowIndex) * groupHeight
            let rowMax = perRowScale ? (values.compactMap { row.cells[$0].number }.map { max($0, 0) }.max() ?? 0) : globalMax
            let label = labels[rowIndex]
            svg += "<g class=\"row\"><title>\(TableHTML.escape(label))</title>"
            svg += "<text class=\"label\" x=\"\(fmt(labelWidth - 8))\" y=\"\(fmt(top + groupHeight / 2 + 4))\" text-anchor=\"end\">\(TableHTML.escape(truncate(label, to: labelWidth - 12)))</text>"
            for (series, column) in values.enumerated() {
                let value = row.cells[column].number
                let length = (value.map { max($0, 0) } ?? 0) / (rowMax > 0 ? rowMax : 1) * barArea
                let y = top + 6 + Double(series) * barHeight
                svg += "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y))\" width=\"\(fmt(max(length, value == nil ? 0 : 1)))\" height=\"\(fmt(barHeight - 3))\" fill=\"\(palette[series % palette.count])\"/>"
                let text = table.columns[column].textWithUnit(row.cells[column]) ?? "—"
                svg += "<text class=\"value\" x=\"\(fmt(labelWidth + length + 6))\" y=\"\(fmt(y + barHeight - 6))\">\(TableHTML.escape(text))</text>"
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    // MARK: Share

    static func share(_ rows: [TableRow], labelIndex: Int, valueIndex: Int, table: Table, id: String) -> String {
        let values = rows.map { max($0.cells[valueIndex].number ?? 0, 0) }
        let total = values.reduce(0, +)
        let legendRows = rows.count
        let height = 60 + Double(legendRows) * 24 + 8
        let format = table.columns[valueIndex].format
        var svg = header(id: id, height: height, title: table.title ?? table.id,
                         description: rows.enumerated().map { index, row in
                             let share = total > 0 ? values[index] / total * 100 : 0
                             return table.words("chart.share_item", [
                                 "label": table.columns[labelIndex].text(row.cells[labelIndex]),
                                 "value": table.columns[valueIndex].textWithUnit(row.cells[valueIndex]) ?? format.textWithUnit(values[index]),
                                 "share": NumberText.grouped(share, decimals: 1)])
                         }.joined(separator: table.words("chart.list_join")))
        var x = 0.0
        for (index, value) in values.enumerated() {
            let w = total > 0 ? value / total * width : 0
            svg += "<rect x=\"\(fmt(x))\" y=\"10\" width=\"\(fmt(w))\" height=\"32\" fill=\"\(palette[index % palette.count])\"><title>\(TableHTML.escape(table.columns[labelIndex].text(rows[index].cells[labelIndex])))</title></rect>"
            x += w
        }
        svg += "\n"
        for (index, row) in rows.enumerated() {
            let y = 60 + Double(index) * 24
            let share = total > 0 ? values[index] / total * 100 : 0
            let label = table.columns[labelIndex].text(row.cells[labelIndex])
            svg += "<rect x=\"0\" y=\"\(fmt(y))\" width=\"14\" height=\"14\" fill=\"\(palette[index % palette.count])\"/>"
            svg += "<text x=\"22\" y=\"\(fmt(y + 12))\">\(TableHTML.escape(table.words("chart.share_label", ["label": label, "value": table.columns[valueIndex].textWithUnit(row.cells[valueIndex]) ?? format.textWithUnit(values[index]), "share": NumberText.grouped(share, decimals: 1)])))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    // MARK: Helpers

    static func header(id: String, height: Double, title: String, description: String) -> String {
        let eid = TableHTML.escape(id)
        return "<svg class=\"chart-svg\" role=\"img\" aria-labelledby=\"\(eid)-title \(eid)-desc\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" "
            + "width=\"\(fmt(width))\" height=\"\(fmt(height))\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            + "<title id=\"\(eid)-title\">\(TableHTML.escape(title))</title>\n<desc id=\"\(eid)-desc\">\(TableHTML.escape(description))</desc>\n"
    }

    static func describe(_ rows: [TableRow], labelIndex: Int, values: [Int], table: Table) -> String {
        rows.map { row in
            let parts = values.map { column in
                "\(table.columns[column].label)\(table.columns[column].textWithUnit(row.cells[column]) ?? "—")"
            }
            return table.words("chart.item", ["label": table.columns[labelIndex].text(row.cells[labelIndex]), "values": parts.joined(separator: table.words("chart.value_join"))])
        }.joined(separator: table.words("chart.list_join"))
    }

    /// Rough rendered width at the chart's font size: CJK characters are square, Latin ones about half as wide.
    static func textWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? fontSize : fontSize * 0.58) }
    }

    static func truncate(_ text: String, to width: Double) -> String {
        guard textWidth(text) > width else { return text }
        var out = ""
        for ch in text {
            if textWidth(out + String(ch) + "…") > width { break }
            out.append(ch)
        }
        return out + "…"
    }

    static func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
