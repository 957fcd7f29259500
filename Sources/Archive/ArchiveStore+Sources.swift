import SQLiteDB
import SessionSyncSupport

/// A row of `sources`.
public struct SourceRow: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let provider: String
    public let createdAt: String

    public init(id: Int64, name: String, provider: String, createdAt: String) {
        self.id = id
        self.name = name
        self.provider = provider
        self.createdAt = createdAt
    }
}

/// A source already archived under one provider that the config now names with another.
public struct SourceProviderMismatch: Error, Sendable, CustomStringConvertible {
    public let name: String
    public let archivedProvider: String
    public let configuredProvider: String

    public init(name: String, archivedProvider: String, configuredProvider: String) {
        self.name = name
        self.archivedProvider = archivedProvider
        self.configuredProvider = configuredProvider
    }

    public var description: String {
        "source \"\(name)\" is archived as a \(archivedProvider) source but the config makes it \(configuredProvider); "
            + "rename the source in the config (its archive stays under the old name)"
    }
}

extension ArchiveStore {
    /// The `sources` row for `name`, created when missing.
    public func ensureSource(name: String, provider: String, now: Timestamp) throws -> SourceRow {
        if let existing = try source(named: name) {
            guard existing.provider == provider else {
                throw SourceProviderMismatch(
                    name: name, archivedProvider: existing.provider, configuredProvider: provider)
            }
            return existing
        }
        let insert = try connection.cachedStatement("INSERT INTO sources (name, provider, created_at) VALUES (?, ?, ?)")
        try insert.bind(name, at: 1)
        try insert.bind(provider, at: 2)
        try insert.bind(now.iso8601, at: 3)
        try insert.run()
        return SourceRow(id: connection.lastInsertedRowID, name: name, provider: provider, createdAt: now.iso8601)
    }

    public func source(named name: String) throws -> SourceRow? {
        let select = try connection.cachedStatement("SELECT id, name, provider, created_at FROM sources WHERE name = ?")
        try select.bind(name, at: 1)
        defer { select.reset() }
        guard try select.step() else { return nil }
        return SourceRow(
            id: select.int64(at: 0), name: select.text(at: 1) ?? "", provider: select.text(at: 2) ?? "",
            createdAt: select.text(at: 3) ?? "")
    }

    public func allSources() throws -> [SourceRow] {
        let select = try connection.cachedStatement("SELECT id, name, provider, created_at FROM sources ORDER BY name")
        var rows: [SourceRow] = []
        try select.forEachRow { row in
            rows.append(
                SourceRow(
                    id: row.int64(at: 0), name: row.text(at: 1) ?? "", provider: row.text(at: 2) ?? "",
                    createdAt: row.text(at: 3) ?? ""))
        }
        return rows
    }
}
