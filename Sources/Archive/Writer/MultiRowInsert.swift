import SQLiteDB

/// An INSERT that writes many rows of one child set per statement: `VALUES (…), (…), …`.
///
/// A statement per row pays a step and a reset per row; the large child sets (a session's
/// timeline, its page history) have dozens of rows, written on the archive's one writer thread.
/// The rows go in order, so `INSERT OR REPLACE` keeps the last of two rows with one key, as one
/// statement per row did.
final class MultiRowInsert {
    static let rowsPerStatement = 20

    /// `INSERT [OR REPLACE] INTO table (columns)`, without `VALUES`.
    private let head: String
    private let columns: Int
    private var sqlByRowCount: [Int: String] = [:]

    init(_ head: String, columns: Int) {
        self.head = head
        self.columns = columns
    }

    /// Inserts `rows`; `bind` binds one row's values from parameter `first` on (1-based), given
    /// the row's position in `rows`.
    func run<Row>(
        _ rows: [Row], connection: Connection,
        bind: (_ statement: Statement, _ row: Row, _ position: Int, _ first: Int32) throws -> Void
    ) throws {
        var start = 0
        while start < rows.count {
            let count = min(Self.rowsPerStatement, rows.count - start)
            let statement = try connection.cachedStatement(sql(rows: count))
            for offset in 0..<count {
                try bind(statement, rows[start + offset], start + offset, Int32(offset * columns + 1))
            }
            try statement.run()
            start += count
        }
    }

    private func sql(rows: Int) -> String {
        if let sql = sqlByRowCount[rows] { return sql }
        let group = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let sql = head + " VALUES " + Array(repeating: group, count: rows).joined(separator: ", ")
        sqlByRowCount[rows] = sql
        return sql
    }
}
