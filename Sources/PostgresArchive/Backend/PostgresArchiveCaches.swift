import Archive
import Synchronization

/// What the PostgreSQL archive remembers between units of work, shared by every copy of one
/// ``PostgresArchiveDatabase`` (and every task using it).
final class PostgresArchiveCaches: Sendable {
    /// The session upsert's SQL per carried-column set (``PostgresArchiveStore/upsertSQL(columns:insertOnly:)``).
    private let upsertSQL = Mutex<[UInt64: String]>([:])
    /// The tombstones' digest, once the archive's key has been read: the key never changes.
    private let digest = Mutex<TombstoneDigest?>(nil)
    /// The sources this instance holds, by source id: what its commits are fenced by.
    private let leases = Mutex<[Int64: SourceLease]>([:])

    func lease(of sourceID: Int64) -> SourceLease? {
        leases.withLock { $0[sourceID] }
    }

    func hold(_ lease: SourceLease) {
        leases.withLock { $0[lease.sourceID] = lease }
    }

    func forgetLease(of sourceID: Int64) {
        _ = leases.withLock { $0.removeValue(forKey: sourceID) }
    }

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
