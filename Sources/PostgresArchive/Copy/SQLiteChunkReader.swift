import SQLiteDB

/// Reads one table of the SQLite archive in chunks along its primary key: the first chunk from
/// the start (or after the rows an earlier run copied, ``skip(_:)``), each next one after the
/// last key read, so that each chunk costs an index seek however far into the table it is.
struct SQLiteChunkReader {
    let table: CopiedTable
    let chunkRows: Int
    private let connection: Connection
    private let first: Statement
    private let after: Statement
    private var lastKey: [SQLiteValue]?

    init(table: CopiedTable, connection: Connection, chunkRows: Int) throws {
        self.table = table
        self.chunkRows = chunkRows
        self.connection = connection
        let columns = table.columns.map(\.quoted).joined(separator: ", ")
        let key = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
        let placeholders = table.key.map { _ in "?" }.joined(separator: ", ")
        first = try connection.prepare("SELECT \(columns) FROM \"\(table.name)\" ORDER BY \(key) LIMIT ?")
        // A row value comparison: SQLite seeks the primary key's index to it.
        after = try connection.prepare(
            "SELECT \(columns) FROM \"\(table.name)\" WHERE (\(key)) > (\(placeholders)) ORDER BY \(key) LIMIT ?")
    }

    /// Moves past the first `count` rows, which an earlier run copied; false when the table has
    /// fewer (the file changed since). One pass over the key's index, once per resumed table.
    mutating func skip(_ count: Int64) throws -> Bool {
        let key = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
        let statement = try connection.prepare(
            "SELECT \(key) FROM \"\(table.name)\" ORDER BY \(key) LIMIT 1 OFFSET ?")
        try statement.bind(.integer(count - 1), at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return false }
        lastKey = (0..<Int32(table.key.count)).map { statement.value(at: $0) }
        return true
    }

    /// The next chunk's rows (at most `chunkRows`), empty at the table's end.
    mutating func next() throws -> [[SQLiteValue]] {
        let statement: Statement
        if let lastKey {
            statement = after
            try statement.bind(lastKey)
            try statement.bind(.integer(Int64(chunkRows)), at: Int32(lastKey.count + 1))
        } else {
            statement = first
            try statement.bind(.integer(Int64(chunkRows)), at: 1)
        }
        defer { statement.reset() }
        var rows: [[SQLiteValue]] = []
        let count = Int32(table.columns.count)
        while try statement.step() {
            rows.append((0..<count).map { statement.value(at: $0) })
        }
        if let last = rows.last { lastKey = table.keyPositions.map { last[$0] } }
        return rows
    }
}

@available(*, unavailable)
extension SQLiteChunkReader: Sendable {}
