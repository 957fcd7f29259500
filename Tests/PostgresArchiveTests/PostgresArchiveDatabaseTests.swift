import Archive
import PostgresArchive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting
import Testing

@Suite("The PostgreSQL archive's own answers: times as SQLite's text, its size, its address")
struct PostgresArchiveDatabaseTests {
    @Test(
        "a time reads back as the text the SQLite archive stores, whatever the session's time zone",
        arguments: ["UTC", "America/New_York", "Asia/Kolkata"])
    func timesReadBackAsText(zone: String) async throws {
        let times = [
            Timestamp.earliest, Timestamp.latest, Timestamp(iso8601: "2026-11-22T10:00:00.007Z")!,
            Timestamp(iso8601: "2024-02-29T23:59:59.999Z")!,
        ]
        try await withTemporaryPostgresArchive { _, client in
            try await client.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "SET TIME ZONE '\(zone)'"), logger: quietLogger)
                for time in times {
                    var binds = PostgresBindings()
                    binds.append(time.iso8601)
                    let read = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT \(PostgresTime.text("$1::timestamptz"))", binds: binds),
                        logger: quietLogger
                    ).decode(String.self)
                    var texts: [String] = []
                    for try await text in read { texts.append(text) }
                    #expect(texts == [time.iso8601])
                }
            }
        }
    }

    @Test("vitals give the database's size and no WAL of sessionsync's; ping answers; the location holds no secret")
    func vitals() async throws {
        try await withTemporaryPostgresArchive { archive, _ in
            try await archive.ping()
            let vitals = try await archive.vitals()
            #expect(vitals.databaseBytes > 0)
            #expect(vitals.walBytes == 0 && vitals.checkpointFailures.isEmpty)
            #expect(archive.location == archive.server.description)
            #expect(archive.location.hasPrefix("postgres://"))
        }
    }
}
