import SessionSyncCSQLite

/// Every failure of the SQLite layer: SQLite's result code and extended code, its message, and
/// the SQL that failed (never the bound values, which may be personal data or secrets).
///
/// ```swift
/// do { try statement.run() }
/// catch let error as SQLiteError where error.code == .constraint { … }
/// ```
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The primary result code (`SQLITE_CONSTRAINT`).
    public let code: ResultCode
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`), or the primary one when SQLite gave no more.
    public let extendedCode: ResultCode
    /// SQLite's message, e.g. "UNIQUE constraint failed: sources.name".
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(code: ResultCode, extendedCode: ResultCode? = nil, message: String, sql: String? = nil) {
        self.code = code.primary
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// Reads the code and message of the last failure on `handle`.
    init(handle: OpaquePointer?, code: Int32, sql: String?) {
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        self.init(
            code: ResultCode(rawValue: code),
            extendedCode: ResultCode(rawValue: extended),
            message: message,
            sql: sql
        )
    }

    public var description: String {
        var text = "SQLite error \(code.rawValue)"
        if extendedCode != code { text += "/\(extendedCode.rawValue)" }
        text += " (\(code)): \(message)"
        if let sql {
            let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.joined(separator: " ")
            text += " [SQL: \(oneLine)]"
        }
        return text
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
