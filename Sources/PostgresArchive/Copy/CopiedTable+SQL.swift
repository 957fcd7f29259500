import SQLiteDB

extension CopiedTable {
    /// `INSERT INTO table (columns) VALUES (…), (…)` for `rows` rows, each parameter cast to its
    /// column's type. No `ON CONFLICT`: the copy never sends a row twice, and a row already there
    /// is an error to hear about, not to skip.
    func insertSQL(rows: Int) -> String {
        let width = columns.count
        let groups = (0..<rows).map { row in
            "("
                + columns.enumerated().map { "$\(row * width + $0.offset + 1)\($0.element.cast)" }
                .joined(separator: ", ") + ")"
        }
        return "INSERT INTO \(name) (\(columns.map(\.quoted).joined(separator: ", "))) VALUES "
            + groups.joined(separator: ", ")
    }

    /// The key of the source row `row` for a message: `(id=42)`, `(session_id=3, seq=0)`.
    func describeKey(of row: [SQLiteValue]) -> String {
        let parts = zip(key, keyPositions).map { name, position in
            "\(name)=\(CopiedValue.describeKeyValue(row[position]))"
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}
