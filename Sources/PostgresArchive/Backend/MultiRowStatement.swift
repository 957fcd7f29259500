import Archive

/// An INSERT of many rows of one child table per statement, `VALUES (…), (…), …`, each parameter
/// cast to its column's type: a statement per row would pay a round trip to the server per row.
///
/// With `upsert`, a row whose key is stored already is updated, only when a value differs, and
/// `RETURNING 1` yields one row per row inserted or changed. The rows of one statement must have
/// distinct keys (PostgreSQL cannot change a row twice in one statement).
struct MultiRowStatement {
    let layout: ChildTableLayout
    let upsert: Bool

    private var columns: [String] {
        ["session_id"] + layout.keyColumns + layout.valueColumns
    }

    /// Rows per statement at most: a few round trips for the largest child sets (a timeline of
    /// hundreds of points), without statements of unbounded size.
    static let maximumRows = 500
    /// PostgreSQL's limit on a statement's parameters (the protocol counts them in 16 bits).
    static let maximumParameters = 65_535

    /// Rows per statement: ``maximumRows``, or fewer for rows so wide that so many would pass
    /// ``maximumParameters``.
    var rowsPerStatement: Int {
        min(Self.maximumRows, Self.maximumParameters / columns.count)
    }

    /// `rows` cut into statements' worth.
    func chunks(of rows: [ChildTableLayout.Row]) -> [ArraySlice<ChildTableLayout.Row>] {
        stride(from: 0, to: rows.count, by: rowsPerStatement).map {
            rows[$0..<min($0 + rowsPerStatement, rows.count)]
        }
    }

    /// The statement for `rows` rows.
    func sql(rows: Int) -> String {
        let casts = columns.map { PostgresColumnType.of(column: $0).cast }
        let groups = (0..<rows).map { row in
            "("
                + casts.enumerated().map { "$\(row * casts.count + $0.offset + 1)\($0.element)" }
                .joined(separator: ", ") + ")"
        }
        var sql =
            "INSERT INTO \(layout.table) (\(columns.joined(separator: ", "))) VALUES "
            + groups.joined(separator: ", ")
        if upsert {
            let assignments = layout.valueColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            let differs = layout.valueColumns.map { "\(layout.table).\($0) IS DISTINCT FROM excluded.\($0)" }
                .joined(separator: " OR ")
            sql += """

                ON CONFLICT (\((["session_id"] + layout.keyColumns).joined(separator: ", "))) DO UPDATE SET \(assignments)
                WHERE \(differs)
                RETURNING 1
                """
        }
        return sql
    }

    /// The parameters of `rows`, each row's session id first.
    func parameters(of rows: ArraySlice<ChildTableLayout.Row>, sessionID: Int64) -> [PostgresParameter] {
        let types = (layout.keyColumns + layout.valueColumns).map { PostgresColumnType.of(column: $0) }
        var parameters: [PostgresParameter] = []
        parameters.reserveCapacity(rows.count * (types.count + 1))
        for row in rows {
            parameters.append(.int(sessionID))
            for (value, type) in zip(row, types) { parameters.append(.stored(value, type)) }
        }
        return parameters
    }
}
