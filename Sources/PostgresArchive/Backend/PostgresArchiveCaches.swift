import Archive
import Synchronization

/// What the PostgreSQL archive remembers between units of work, shared by every copy of one
/// ``PostgresArchiveDatabase`` (and every task using it).
final class PostgresArchiveCaches: Sendable {
    /// The session upsert's SQL per carried-column set (``PostgresArchiveStore/upsertSQL(columns:insertOnly:)``).
    private let upsertSQL = Mutex<[UInt64: String]>([:])
    /// The tombstones' digest, once the archive's key has been read: the key never changes.
    private let digest = Mutex<TombstoneDigest?>(nil)

    /// The upsert SQL for `key`, made by `make` the first time.
    func upsertSQL(for key: UInt64, make: () -> String) -> String {
        if let sql = upsertSQL.withLock({ $0[key] }) { return sql }
        let sql = make()
        upsertSQL.withLock { $0[key] = sql }
        return sql
    }

    var tombstoneDigest: TombstoneDigest? {
        get { digest.withLock { $0 } }
        set { digest.withLock { $0 = newValue } }
    }
}
