import Archive
import PostgresArchive
import PostgresNIO
import SessionSyncTesting
import Testing

@Suite("The PostgreSQL archive writes what the SQLite archive writes, with the same counts")
struct PostgresWriterEquivalenceTests {
    @Test("the same steps give the same results and the same rows in both archives", arguments: WriterScenarios.all)
    func sameResults(scenario: WriterScenario) async throws {
        try await ArchiveUnderTest.withBoth(now: WriterScenarios.t0) { sqlite, postgres, path, client in
            let expected = try await scenario.run(on: sqlite)
            let actual = try await scenario.run(on: postgres)
            for (want, got) in zip(expected, actual) {
                #expect(got == want, "SQLite, then PostgreSQL")
            }
            #expect(actual.count == expected.count)
            let sqliteRows = try await ArchiveContents.of(sqlite: path, normalizingJSONWith: client)
            let postgresRows = try await ArchiveContents.of(postgres: client)
            #expect(postgresRows == sqliteRows, "\(postgresRows.differences(from: sqliteRows))")
        }
    }

    @Test("the comparison reads every table the PostgreSQL archive has, but those left out on purpose")
    func everyTableCompared() async throws {
        try await withTemporaryPostgresArchive { _, client in
            let rows = try await client.rows(
                """
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """)
            let tables = Set(rows.compactMap { $0.first ?? nil })
            #expect(tables.subtracting(ArchiveContents.notCompared) == Set(ArchiveContents.tables.map(\.name)))
        }
    }
}
