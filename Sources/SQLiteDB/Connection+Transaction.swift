extension Connection {
    /// How a transaction takes its locks.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_transaction.html>
    public enum TransactionKind: String, Sendable {
        /// Takes the read lock at the first read and the write lock at the first write.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so the transaction waits for (or fails on) another writer
        /// at BEGIN instead of midway with `SQLITE_BUSY` and half its work done.
        case immediate = "IMMEDIATE"
        case exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Inside a transaction already, the body runs in a savepoint instead, so nesting works and an
    /// inner failure undoes only the inner work.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if !isAutocommit {
            return try savepoint(body)
        }
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIgnoringErrors()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackIgnoringErrors()
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint: released when it returns, rolled back to when it throws.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_savepoint.html>
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT nested")
        let result: T
        do {
            result = try body()
        } catch {
            // ROLLBACK TO undoes the work but keeps the savepoint; RELEASE removes it.
            try? execute("ROLLBACK TO nested")
            try? execute("RELEASE nested")
            throw error
        }
        try execute("RELEASE nested")
        return result
    }

    private func rollbackIgnoringErrors() {
        // After some errors (SQLITE_FULL, IOERR, BUSY on COMMIT) SQLite has already rolled back,
        // and ROLLBACK then fails with "no transaction is active": nothing is left to undo.
        if !isAutocommit {
            try? execute("ROLLBACK")
        }
    }
}
