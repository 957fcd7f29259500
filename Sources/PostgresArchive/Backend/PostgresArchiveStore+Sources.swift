import Archive
import SessionSyncSupport

extension PostgresArchiveStore {
    private static let sourceColumns = "id, name, provider, \(PostgresTime.text("created_at"))"

    /// The `sources` row for `name`, created when missing; a known name must keep its provider
    /// (``SourceProviderMismatch``). With `lock`, the row stays locked (`FOR UPDATE`) until the
    /// transaction ends: another process asking for it waits there.
    func ensureSource(name: String, provider: String, now: Timestamp, lock: Bool = false) async throws -> SourceRow {
        // Two processes may register one new source at once: the second insert does nothing.
        try await run(
            "INSERT INTO sources (name, provider, created_at) VALUES ($1, $2, $3::timestamptz) ON CONFLICT (name) DO NOTHING",
            [.text(name), .text(provider), .time(now)])
        guard let existing = try await source(named: name, lock: lock) else {
            throw PostgresArchiveError(
                statement: "SELECT … FROM sources WHERE name = $1",
                message: "source \"\(name)\" is missing just after it was registered (deleted meanwhile?)",
                sqlState: nil)
        }
        guard existing.provider == provider else {
            throw SourceProviderMismatch(name: name, archivedProvider: existing.provider, configuredProvider: provider)
        }
        return existing
    }

    func source(named name: String, lock: Bool = false) async throws -> SourceRow? {
        try await rows(
            "SELECT \(Self.sourceColumns) FROM sources WHERE name = $1\(lock ? " FOR UPDATE" : "")", [.text(name)],
            as: (Int64, String, String, String).self
        ).first.map { SourceRow(id: $0, name: $1, provider: $2, createdAt: $3) }
    }

    func allSources() async throws -> [SourceRow] {
        try await rows(
            "SELECT \(Self.sourceColumns) FROM sources ORDER BY name", as: (Int64, String, String, String).self
        )
        .map { SourceRow(id: $0, name: $1, provider: $2, createdAt: $3) }
    }
}
