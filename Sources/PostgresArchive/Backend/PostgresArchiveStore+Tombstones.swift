import Archive
import Foundation
import SessionSyncSupport

/// Tombstones, as ``TombstoneFilter`` and `ArchiveStore+Tombstones.swift` keep them in SQLite: the
/// same keyed digest (``TombstoneDigest``, with the archive's own key in `tombstone_key`), looked
/// up only when the table has any row.
extension PostgresArchiveStore {
    /// Whether any session is tombstoned: while none is, this is the only cost of the check.
    func tombstonesActive() async throws -> Bool {
        try await column("SELECT EXISTS (SELECT 1 FROM tombstones)", as: Bool.self).first ?? false
    }

    /// Those of `externalIDs` that are tombstoned in the source (call it once ``tombstonesActive()``
    /// said yes: it reads the key).
    func tombstoned(sourceID: Int64, externalIDs: [String]) async throws -> Set<String> {
        guard !externalIDs.isEmpty, let digest = try await tombstoneDigest(create: false) else { return [] }
        var idByDigest: [String: String] = [:]
        for id in externalIDs { idByDigest[Self.hex(digest.digest(sourceID: sourceID, externalID: id))] = id }
        let found = try await column(
            """
            SELECT encode(digest, 'hex') FROM tombstones
            WHERE source_id = $1 AND digest IN (SELECT decode(d, 'hex') FROM unnest($2::text[]) AS d)
            """,
            [.int(sourceID), .texts(Array(idByDigest.keys))], as: String.self)
        return Set(found.compactMap { idByDigest[$0] })
    }

    /// The digest made with the archive's key, which is made (inside the caller's transaction)
    /// when `create` and there is none yet.
    func tombstoneDigest(create: Bool) async throws -> TombstoneDigest? {
        if let digest = caches.tombstoneDigest { return digest }
        var key = try await readTombstoneKey()
        if key == nil && create {
            // Two processes may race here: the first insert wins and both read its key.
            try await run(
                "INSERT INTO tombstone_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
                [.bytes(TombstoneDigest.newKey())])
            key = try await readTombstoneKey()
        }
        guard let key else { return nil }
        let digest = TombstoneDigest(key: key)
        caches.tombstoneDigest = digest
        return digest
    }

    private func readTombstoneKey() async throws -> [UInt8]? {
        try await column("SELECT key FROM tombstone_key WHERE id = 1", as: Data.self).first.map { Array($0) }
    }

    /// Deletes `sessions` with every row that belongs to them (their child tables, their fetch
    /// queue items and detail requests) and tombstones each one, inside the caller's transaction,
    /// as ``ArchiveStore`` does. Adds the rows deleted to `counts`; returns how many tombstones it
    /// added.
    func removeSessions(
        _ sessions: [PostgresSessionReference], reason: TombstoneReason, now: Timestamp, counts: inout TableCounts
    ) async throws -> Int {
        guard !sessions.isEmpty else { return 0 }
        counts.add("sessions", 0)  // listed first; counted once they are deleted, last
        let ids = sessions.map(\.id)
        for table in SessionTables.children {
            counts.add(
                table,
                try await count("DELETE FROM \(table) WHERE session_id = ANY($1::int8[]) RETURNING 1", [.ints(ids)]))
        }
        guard let digest = try await tombstoneDigest(create: true) else {
            throw PostgresArchiveError(
                statement: "SELECT key FROM tombstone_key WHERE id = 1",
                message: "the archive's tombstone key could not be made", sqlState: nil)
        }
        var tombstoned = 0
        for (sourceID, group) in Dictionary(grouping: sessions, by: \.sourceID).sorted(by: { $0.key < $1.key }) {
            let externalIDs = group.map(\.externalID)
            counts.add(
                "fetch_queue",
                try await count(
                    "DELETE FROM fetch_queue WHERE source_id = $1 AND external_id = ANY($2::text[]) RETURNING 1",
                    [.int(sourceID), .texts(externalIDs)]))
            counts.add(
                "detail_requests",
                try await count(
                    """
                    DELETE FROM detail_requests WHERE source_name = (SELECT name FROM sources WHERE id = $1)
                        AND external_id = ANY($2::text[])
                    RETURNING 1
                    """,
                    [.int(sourceID), .texts(externalIDs)]))
            let digests = externalIDs.map { Self.hex(digest.digest(sourceID: sourceID, externalID: $0)) }
            tombstoned += try await count(
                """
                INSERT INTO tombstones (source_id, digest, reason, created_at)
                SELECT $1, decode(d, 'hex'), $3, $4::timestamptz FROM unnest($2::text[]) AS d
                ON CONFLICT (source_id, digest) DO NOTHING
                RETURNING 1
                """,
                [.int(sourceID), .texts(digests), .text(reason.rawValue), .time(now)])
        }
        counts.add(
            "sessions", try await count("DELETE FROM sessions WHERE id = ANY($1::int8[]) RETURNING 1", [.ints(ids)]))
        return tombstoned
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
