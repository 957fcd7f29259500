import Archive
import SessionSyncTesting
import Testing

@testable import PostgresArchive

@Suite("Each bound value is cast to its column's type in the schema")
struct PostgresColumnTypeTests {
    @Test("the session columns and every child table's columns have the types the writer casts to")
    func typesMatchTheSchema() async throws {
        let sets: [ChildSet] = [
            .participants([]), .pageHistory([]), .timeline([]), .eventCounts([]), .metadata([]), .messages([]),
            .transcripts([]),
        ]
        var columns = SessionColumns.names.map { ("sessions", $0) }
        for set in sets {
            let layout = ChildTableLayout.of(set)
            columns += (["session_id"] + layout.keyColumns + layout.valueColumns).map { (layout.table, $0) }
        }
        try await withTemporaryPostgresArchive { _, client in
            let rows = try await client.rows(
                """
                SELECT table_name::text, column_name::text, udt_name::text FROM information_schema.columns
                WHERE table_schema = current_schema()
                """)
            var types: [String: String] = [:]
            for row in rows { types["\(row[0] ?? "").\(row[1] ?? "")"] = row[2] ?? "" }
            for (table, column) in columns {
                #expect(
                    types["\(table).\(column)"] == PostgresColumnType.of(column: column).rawValue, "\(table).\(column)")
            }
        }
    }
}
