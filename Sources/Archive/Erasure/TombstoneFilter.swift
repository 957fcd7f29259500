import SQLiteDB

/// The writer's question "was this session erased or expired?", asked so that a write path
/// without tombstones pays one lookup per commit and nothing per session.
///
/// ``isActive(on:)`` reads whether the table has any row, inside the commit's transaction: a
/// `sessionsync erase` committed by another process a moment earlier counts, and one that comes
/// later deletes what this commit wrote. Only then does ``contains(sourceID:externalID:on:)``
/// hash the session's id and look it up in the table's primary key.
final class TombstoneFilter {
    /// Read once, the first time a session must be looked up: the key never changes.
    private var digest: TombstoneDigest?

    /// Whether any session is tombstoned: one step of a cached statement over an index.
    func isActive(on connection: Connection) throws -> Bool {
        let select = try connection.cachedStatement("SELECT EXISTS (SELECT 1 FROM tombstones)")
        defer { select.reset() }
        return try select.step() && select.bool(at: 0)
    }

    /// Whether the session `externalID` of the source is tombstoned.
    func contains(sourceID: Int64, externalID: String, on connection: Connection) throws -> Bool {
        guard let digest = try self.digest ?? Self.readKey(on: connection).map(TombstoneDigest.init(key:)) else {
            // Tombstones are written with the key, in one transaction: no key, no tombstone.
            return false
        }
        self.digest = digest
        let select = try connection.cachedStatement("SELECT 1 FROM tombstones WHERE source_id = ? AND digest = ?")
        try select.bind(sourceID, at: 1)
        try select.bind(digest.digest(sourceID: sourceID, externalID: externalID), at: 2)
        defer { select.reset() }
        return try select.step()
    }

    /// The archive's key, made when `create` and there is none yet (inside a write transaction).
    static func key(on connection: Connection, create: Bool) throws -> [UInt8]? {
        if let key = try readKey(on: connection) { return key }
        guard create else { return nil }
        // Two processes may race here: the first insert wins and both read its key.
        let insert = try connection.cachedStatement(
            "INSERT INTO tombstone_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")
        try insert.bind(TombstoneDigest.newKey(), at: 1)
        try insert.run()
        return try readKey(on: connection)
    }

    private static func readKey(on connection: Connection) throws -> [UInt8]? {
        let select = try connection.cachedStatement("SELECT key FROM tombstone_key WHERE id = 1")
        defer { select.reset() }
        return try select.step() ? select.blob(at: 0) : nil
    }
}
