import SessionSyncCSQLite

/// One SQLite connection, configured for a long-running archive: WAL, `synchronous = NORMAL`,
/// enforced foreign keys and a busy timeout.
///
/// A connection is not `Sendable`: it must stay with the one actor (or thread) that opened it.
/// SQLite's own mutex would make cross-thread calls safe, but statements, transactions and
/// `changes()` are only meaningful when nobody else interleaves.
public final class Connection {
    /// How a connection opens its file.
    public enum Mode: Sendable {
        /// Read and write, creating the file if it is missing.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only; writes fail with `SQLITE_READONLY`.
        case readOnly

        var flags: Int32 {
            switch self {
            case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            case .readWrite: SQLITE_OPEN_READWRITE
            case .readOnly: SQLITE_OPEN_READONLY
            }
        }
    }

    /// What a connection sets up when it opens.
    public struct Options: Sendable {
        public var mode: Mode
        /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32
        /// WAL lets readers keep their snapshot while the writer commits; it is a property of the file.
        public var journalModeWAL: Bool
        public var foreignKeys: Bool

        public init(
            mode: Mode = .readWriteCreate,
            busyTimeoutMilliseconds: Int32 = 5_000,
            journalModeWAL: Bool = true,
            foreignKeys: Bool = true
        ) {
            self.mode = mode
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.journalModeWAL = journalModeWAL
            self.foreignKeys = foreignKeys
        }
    }

    let owner: ConnectionHandle
    public let path: String

    var handle: OpaquePointer {
        owner.pointer
    }
    private var cache: StatementCache?

    /// Opens (and configures) the database at `path`.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/open.html>
    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        Self.configureLibrary
        var opened: OpaquePointer?
        // NOMUTEX: the connection is confined to one owner, so SQLite's per-call mutex is pure cost.
        let flags = options.mode.flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            // > Whether or not an error occurs when it is opened, resources associated with the
            // > database connection handle should be released by passing it to sqlite3_close().
            let error = SQLiteError(handle: opened, code: code, sql: nil)
            sqlite3_close_v2(opened)
            throw SQLiteError(
                code: error.code,
                extendedCode: error.extendedCode,
                message: "cannot open \(path): \(error.message)",
                sql: nil
            )
        }
        self.owner = ConnectionHandle(opened)
        self.path = path
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, options.busyTimeoutMilliseconds)
        // If a pragma fails, `owner` is released with this half-made object and closes the file.
        if options.journalModeWAL && options.mode != .readOnly {
            let mode = try scalarText("PRAGMA journal_mode = WAL")
            guard mode?.lowercased() == "wal" else {
                throw SQLiteError(
                    code: .error,
                    message:
                        "\(path) refused WAL mode (journal_mode is \(mode ?? "unknown")); is it on a network file system?",
                    sql: "PRAGMA journal_mode = WAL"
                )
            }
        }
        // Debian builds default WAL databases to FULL; NORMAL is durable across application
        // crashes and loses at most the last commits on power loss, never consistency.
        try execute("PRAGMA synchronous = NORMAL")
        try execute(options.foreignKeys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF")
    }

    /// Process-wide SQLite settings, applied once before the first connection opens.
    private static let configureLibrary: Void = {
        _ = sessionsync_sqlite_disable_memory_statistics()
    }()

    deinit {
        // Cached statements go first; the handle closes once no statement holds it.
        cache = nil
    }

    /// Runs one or more statements that bind no values (schema scripts, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(
                code: ResultCode(rawValue: code),
                extendedCode: ResultCode(rawValue: sqlite3_extended_errcode(handle)),
                message: message,
                sql: sql
            )
        }
    }

    /// Compiles one statement. Prefer ``cachedStatement(_:)`` for statements run on every page.
    public func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> Statement {
        try Statement(connection: self, sql: sql, persistent: persistent)
    }

    /// The compiled statement for `sql`, compiled once per connection and reset before reuse.
    public func cachedStatement(_ sql: String) throws(SQLiteError) -> Statement {
        if cache == nil { cache = StatementCache() }
        return try cache!.statement(for: sql, in: self)
    }

    /// The rowid of the last row inserted through this connection.
    public var lastInsertedRowID: Int64 {
        get { sqlite3_last_insert_rowid(handle) }
        // Settable so that an upsert can tell its INSERT from its DO UPDATE: only an insert sets it.
        set { sqlite3_set_last_insert_rowid(handle, newValue) }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int {
        Int(sqlite3_changes64(handle))
    }

    /// Rows changed since the connection opened.
    public var totalChanges: Int {
        Int(sqlite3_total_changes64(handle))
    }

    /// True outside any transaction (autocommit mode).
    public var isAutocommit: Bool {
        sqlite3_get_autocommit(handle) != 0
    }

    /// Asks a running statement to stop at its next opportunity (`SQLITE_INTERRUPT`).
    public func interrupt() {
        sqlite3_interrupt(handle)
    }

    /// Runs `sql` and returns the first column of the first row as text.
    public func scalarText(_ sql: String, _ values: SQLiteValue...) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        try statement.bind(values)
        return try statement.step() ? statement.text(at: 0) : nil
    }

    /// Runs `sql` and returns the first column of the first row as an integer.
    public func scalarInt(_ sql: String, _ values: SQLiteValue...) throws(SQLiteError) -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(values)
        return try statement.step() && !statement.isNull(at: 0) ? statement.int64(at: 0) : nil
    }

    func lastError(code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(handle: handle, code: code, sql: sql)
    }
}

@available(*, unavailable)
extension Connection: Sendable {}
