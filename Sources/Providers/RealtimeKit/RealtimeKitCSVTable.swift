import CSV
import Foundation
import SessionSyncSupport

/// An export file (RFC 4180 CSV with a header row) read into memory with CSV.swift, which reads
/// by Unicode scalar: quoted fields may hold commas, quotes, line breaks and any script.
struct RealtimeKitCSVTable {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    let header: [String]
    let rows: [[String]]

    init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The one-row table a row stored by ``json(_:)`` was (`messages.raw` of a chat export row).
    init(storedRow: JSONValue) throws(JSONShapeError) {
        guard storedRow.kind == .object else { throw storedRow.mismatch("an object of the export's cells") }
        var header: [String] = []
        var cells: [String] = []
        for (name, cell) in storedRow.members {
            guard let text = cell.string else { throw cell.mismatch("a cell's text") }
            header.append(name)
            cells.append(text)
        }
        self.init(header: header, rows: [cells])
    }

    /// Reads `bytes` as UTF-8 (a byte-order mark is skipped). An empty file is a table without rows.
    init(bytes: [UInt8]) throws(ReadError) {
        var content = bytes[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        let text = String(decoding: content, as: UTF8.self)
        guard text.contains(where: { !$0.isWhitespace }) else {
            header = []
            rows = []
            return
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw ReadError(description: "the header row could not be read: \(error)")
        }
        header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String]] = []
        while let row = reader.next() {
            // A blank line (often the last one) is no record.
            if row.count == 1 && row[0].isEmpty { continue }
            rows.append(row)
        }
        if let error = reader.error {
            throw ReadError(description: "the file could not be read: \(error)")
        }
        self.rows = rows
    }

    /// The index of the column named `name` (case and surrounding spaces ignored).
    func column(_ name: String) -> Int? {
        let wanted = name.lowercased()
        return header.firstIndex { $0.lowercased() == wanted }
    }

    /// The indexes of `names`, or an error naming the ones the header lacks.
    func requireColumns(_ names: [String]) throws(ReadError) -> [Int] {
        let indexes = names.map(column)
        let missing = zip(names, indexes).filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
            throw ReadError(
                description:
                    "the header lacks column(s) \(missing.joined(separator: ", ")); it has: \(header.joined(separator: ", "))"
            )
        }
        return indexes.compactMap { $0 }
    }

    /// Cell `index` of `row`; nil when the row is short or the cell is empty.
    static func cell(_ row: [String], _ index: Int?) -> String? {
        guard let index, index < row.count, !row[index].isEmpty else { return nil }
        return row[index]
    }

    /// The row as a JSON object keyed by the header (cells beyond the header as `column N`).
    func json(_ row: [String]) -> String {
        let members: [(String, JSONOutput)] = row.indices.map { index in
            (index < header.count ? header[index] : "column \(index + 1)", .string(row[index]))
        }
        return JSONOutput.object(members).text
    }
}
