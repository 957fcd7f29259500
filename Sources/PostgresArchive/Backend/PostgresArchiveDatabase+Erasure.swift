import Archive
import SessionSyncSupport

extension PostgresArchiveDatabase {
    /// Erases a user (`sessionsync erase`) with the SQLite archive's rules: the user's sessions
    /// `chunkSize` at a time, each chunk in a transaction of its own, then the rows attributed to
    /// the user elsewhere in one more. A dry run does it all in one transaction that is rolled
    /// back, so its counts are exactly those a real run would give.
    ///
    /// PostgreSQL has no `secure_delete`: the deleted rows' old versions stay in the tables' files
    /// until VACUUM reclaims their space, and in the server's WAL and backups (the README says what
    /// to do). `report.checkpoint` stays nil.
    public func erase(userID: String, sourceID: Int64?, dryRun: Bool, now: Timestamp = .now(), chunkSize: Int = 500)
        async throws -> ErasureReport
    {
        if dryRun {
            struct RolledBack: Error {
                let report: ErasureReport
            }
            do {
                try await withStore("erase a user (dry run)") { store in
                    var report = ErasureReport(dryRun: true)
                    var after: Int64? = 0
                    while let from = after {
                        after = try await store.eraseSessions(
                            userID: userID, sourceID: sourceID, after: from, limit: chunkSize, now: now, into: &report)
                    }
                    try await store.eraseAttributedRows(userID: userID, sourceID: sourceID, into: &report)
                    throw RolledBack(report: report)
                }
            } catch let rolledBack as RolledBack {
                return rolledBack.report
            }
            return ErasureReport(dryRun: true)
        }
        var report = ErasureReport(dryRun: false)
        var after: Int64? = 0
        while let from = after {
            (after, report) = try await withStore("erase a user's sessions") { [report] store in
                var chunk = report
                let next = try await store.eraseSessions(
                    userID: userID, sourceID: sourceID, after: from, limit: chunkSize, now: now, into: &chunk)
                return (next, chunk)
            }
        }
        report = try await withStore("erase a user's rows in other sessions") { [report] store in
            var all = report
            try await store.eraseAttributedRows(userID: userID, sourceID: sourceID, into: &all)
            return all
        }
        return report
    }
}
