import SessionSyncCSQLite

/// A compiled SQL statement: bind, step, read columns, reset and run again.
///
/// Values are always bound, never spliced into the SQL text. Parameters are numbered from 1
/// (`?`, `?NNN`) or named (`:name`, `@name`, `$name`); columns are numbered from 0.
/// The statement is finalized exactly once, when the object goes away.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/stmt.html>
public final class Statement {
    let handle: OpaquePointer
    /// The connection's handle: held so that the connection stays open while this statement
    /// exists, even after the `Connection` object is gone (SQLite may re-prepare a statement on
    /// its connection at any step).
    private let owner: ConnectionHandle

    private var database: OpaquePointer {
        owner.pointer
    }
    public let sql: String

    init(connection: Connection, sql: String, persistent: Bool) throws(SQLiteError) {
        var prepared: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &prepared, nil)
        guard code == SQLITE_OK else {
            throw connection.lastError(code: code, sql: sql)
        }
        guard let prepared else {
            throw SQLiteError(code: .misuse, message: "the SQL text holds no statement", sql: sql)
        }
        self.handle = prepared
        self.owner = connection.owner
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    /// Number of parameters (the largest index).
    public var parameterCount: Int32 {
        sqlite3_bind_parameter_count(handle)
    }

    /// Binds `values` to parameters 1, 2, 3, ...
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    public func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        switch value {
        case .integer(let int): try bind(int, at: index)
        case .real(let double): try bind(double, at: index)
        case .text(let text): try bind(text, at: index)
        case .blob(let bytes): try bind(bytes, at: index)
        case .null: try bindNull(at: index)
        }
    }

    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: Int, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    public func bind(_ value: Double, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    public func bind(_ value: Bool, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value ? 1 : 0))
    }

    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        var text = value
        // withUTF8 hands SQLite the exact byte count (no strlen, embedded NULs survive);
        // TRANSIENT makes SQLite copy before the buffer goes away.
        let code = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // An empty string may have no buffer, and SQLite stores NULL for a NULL pointer.
                guard let base = chars.baseAddress else {
                    return sqlite3_bind_text64(handle, index, "", 0, sessionsync_sqlite_transient(), UInt8(SQLITE_UTF8))
                }
                return sqlite3_bind_text64(
                    handle,
                    index,
                    base,
                    UInt64(chars.count),
                    sessionsync_sqlite_transient(),
                    UInt8(SQLITE_UTF8)
                )
            }
        }
        try check(code)
    }

    public func bind(_ value: [UInt8], at index: Int32) throws(SQLiteError) {
        let code = value.withUnsafeBytes { bytes in
            // A zero-length blob needs a non-NULL pointer, or SQLite stores NULL instead.
            sqlite3_bind_blob64(
                handle,
                index,
                bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                UInt64(bytes.count),
                sessionsync_sqlite_transient()
            )
        }
        try check(code)
    }

    public func bindNull(at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds `nil` as NULL.
    public func bind(_ value: String?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bind(_ value: Int64?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bind(_ value: Double?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// The index of a named parameter, including its prefix (`:name`).
    public func parameterIndex(_ name: String) throws(SQLiteError) -> Int32 {
        let index = sqlite3_bind_parameter_index(handle, name)
        guard index > 0 else {
            throw SQLiteError(code: .range, message: "no parameter named \(name)", sql: sql)
        }
        return index
    }

    public func bind(_ value: SQLiteValue, named name: String) throws(SQLiteError) {
        try bind(value, at: parameterIndex(name))
    }

    /// Binds every `(name, value)` pair by name.
    public func bind(named values: [String: SQLiteValue]) throws(SQLiteError) {
        for (name, value) in values {
            try bind(value, named: name)
        }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Running

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            let error = SQLiteError(handle: database, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps to completion and resets, for statements that return no rows worth reading.
    public func run() throws(SQLiteError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Makes the statement ready to run again, keeping its bindings.
    ///
    /// A reset also ends the read the statement may hold open, which matters in WAL mode:
    /// an unreset SELECT pins its snapshot and keeps the WAL from being checkpointed.
    public func reset() {
        // reset repeats the last step's error code; that error was already thrown by step().
        sqlite3_reset(handle)
    }

    /// Calls `body` for each row, then resets.
    public func forEachRow(_ body: (Statement) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while try step() {
            try body(self)
        }
    }

    // MARK: Columns

    public var columnCount: Int32 {
        sqlite3_column_count(handle)
    }

    public func columnName(at index: Int32) -> String {
        String(cString: sqlite3_column_name(handle, index))
    }

    public func isNull(at index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    public func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    public func int(at index: Int32) -> Int {
        Int(sqlite3_column_int64(handle, index))
    }

    public func double(at index: Int32) -> Double {
        sqlite3_column_double(handle, index)
    }

    public func bool(at index: Int32) -> Bool {
        sqlite3_column_int64(handle, index) != 0
    }

    /// The column as text, or nil when it is NULL.
    public func text(at index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        // column_bytes must come after column_text, which may convert the value first.
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column as bytes, or nil when it is NULL. An empty blob is `[]`.
    public func blob(at index: Int32) -> [UInt8]? {
        if isNull(at: index) { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func optionalInt64(at index: Int32) -> Int64? {
        isNull(at: index) ? nil : int64(at: index)
    }

    public func optionalDouble(at index: Int32) -> Double? {
        isNull(at: index) ? nil : double(at: index)
    }

    /// The column in its own storage class.
    public func value(at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: .integer(int64(at: index))
        case SQLITE_FLOAT: .real(double(at: index))
        case SQLITE_TEXT: .text(text(at: index) ?? "")
        case SQLITE_BLOB: .blob(blob(at: index) ?? [])
        default: .null
        }
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else {
            throw SQLiteError(handle: database, code: code, sql: sql)
        }
    }
}

@available(*, unavailable)
extension Statement: Sendable {}
