import SQLiteDB

/// What a migrated SQLite archive declares, read from its catalog.
struct SQLiteSchema {
    let connection: Connection
    let tables: [String]
    let views: Set<String>

    init(_ connection: Connection) throws {
        self.connection = connection
        var tables: [String] = []
        var views: Set<String> = []
        let statement = try connection.prepare(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
        try statement.forEachRow { row in
            let name = row.text(at: 0) ?? ""
            tables.append(name)
            if row.text(at: 1) == "view" { views.insert(name) }
        }
        self.tables = tables
        self.views = views
    }

    func columns(of table: String) throws -> [String] {
        try declaredTypes(of: table).map(\.column)
    }

    /// Each column's declared type (upper-cased) and whether it is the rowid's alias.
    func declaredTypes(of table: String) throws -> [(column: String, type: String, isRowID: Bool)] {
        let statement = try connection.prepare("SELECT name, upper(type), pk FROM pragma_table_info(?)")
        try statement.bind(table, at: 1)
        var columns: [(String, String, Int64)] = []
        try statement.forEachRow { row in
            columns.append((row.text(at: 0) ?? "", row.text(at: 1) ?? "", row.optionalInt64(at: 2) ?? 0))
        }
        let keyColumns = columns.filter { $0.2 > 0 }
        return columns.map { column in
            (column.0, column.1, keyColumns.count == 1 && column.2 > 0 && column.1 == "INTEGER")
        }
    }

    /// `table PRIMARY KEY (a, b)` and `table UNIQUE (a, b)`, as PostgreSQL's catalog reads.
    func keys(of table: String) throws -> Set<String> {
        var keys: Set<String> = []
        let info = try connection.prepare("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
        try info.bind(table, at: 1)
        var primary: [String] = []
        try info.forEachRow { primary.append($0.text(at: 0) ?? "") }
        if !primary.isEmpty { keys.insert("\(table) PRIMARY KEY (\(primary.joined(separator: ", ")))") }
        let list = try connection.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'u'")
        try list.bind(table, at: 1)
        var uniques: [String] = []
        try list.forEachRow { uniques.append($0.text(at: 0) ?? "") }
        for index in uniques {
            keys.insert("\(table) UNIQUE (\(try indexColumns(index).joined(separator: ", ")))")
        }
        return keys
    }

    /// `table.column -> parent.column ON-DELETE`.
    func foreignKeys(of table: String) throws -> Set<String> {
        let statement = try connection.prepare(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?)")
        try statement.bind(table, at: 1)
        var keys: Set<String> = []
        try statement.forEachRow { row in
            keys.insert(
                "\(table).\(row.text(at: 0) ?? "") -> \(row.text(at: 1) ?? "").\(row.text(at: 2) ?? "") \(row.text(at: 3) ?? "")"
            )
        }
        return keys
    }

    /// The indexes a migration created by name: `name ON table (a, b)`, ` WHERE` when partial.
    func namedIndexes(of table: String) throws -> Set<String> {
        let statement = try connection.prepare(
            "SELECT name, partial FROM pragma_index_list(?) WHERE origin = 'c'")
        try statement.bind(table, at: 1)
        var indexes: [(String, Bool)] = []
        try statement.forEachRow { indexes.append(($0.text(at: 0) ?? "", $0.optionalInt64(at: 1) == 1)) }
        return Set(
            try indexes.map { name, partial in
                "\(name) ON \(table) (\(try indexColumns(name).joined(separator: ", ")))\(partial ? " WHERE" : "")"
            })
    }

    private func indexColumns(_ index: String) throws -> [String] {
        let statement = try connection.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
        try statement.bind(index, at: 1)
        var columns: [String] = []
        try statement.forEachRow { columns.append($0.text(at: 0) ?? "") }
        return columns
    }
}
