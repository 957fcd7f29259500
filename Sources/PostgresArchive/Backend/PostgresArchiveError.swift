import PostgresNIO

/// A statement of the PostgreSQL archive that failed, in words for the operator: what the archive
/// was doing, the server's message with its SQLSTATE (or what happened to the connection), and
/// the statement's SQL.
///
/// Never a bound value: the SQL holds none (every value is a parameter), and the server's
/// `DETAIL`, where PostgreSQL quotes the values of a row that broke a key or a check, is left out.
/// postgres-nio's own error lists the query with its bindings in its debug description, so it is
/// not kept either. Values are the providers' data, never a secret of the config, but they have
/// no place in a log line that may be long or shared.
public struct PostgresArchiveError: Error, Sendable, CustomStringConvertible {
    /// What the archive was doing (`commit a batch`), once known.
    public internal(set) var operation: String?
    /// The statement's SQL, with `$1`… where its values were bound.
    public let statement: String
    /// The server's message and hint, or what happened to the connection.
    public let message: String
    /// The server's SQLSTATE (`23505` a unique key, `22P02` invalid input …), when it sent one.
    public let sqlState: String?

    public init(statement: String, message: String, sqlState: String?) {
        self.statement = statement
        self.message = message
        self.sqlState = sqlState
    }

    /// `error`, thrown by postgres-nio while `statement` ran or its rows were read.
    init(statement: String, error: any Error) {
        let server = (error as? PSQLError)?.serverInfo
        self.init(
            statement: statement, message: Self.message(of: error),
            sqlState: server?[.sqlState])
    }

    public var description: String {
        let state = sqlState.map { " (SQLSTATE \($0))" } ?? ""
        let doing = operation.map { "could not \($0)" } ?? "failed"
        return "the PostgreSQL archive \(doing): \(message)\(state); in the statement: \(Self.abbreviated(statement))"
    }

    /// The same failure, said to have happened while the archive was doing `operation`.
    func during(_ operation: String) -> PostgresArchiveError {
        var error = self
        if error.operation == nil { error.operation = operation }
        return error
    }

    /// What the server said (its message and hint, without the detail) or what the connection met.
    private static func message(of error: any Error) -> String {
        if let decoding = error as? PostgresDecodingError {
            // Its description quotes the cell's bytes.
            return "a value of column \(decoding.columnName) could not be read as \(decoding.targetType)"
        }
        guard let psql = error as? PSQLError else { return "\(error)" }
        guard let info = psql.serverInfo, let message = info[.message] else {
            return PostgresFailure.serverText(of: psql)
        }
        return message + (info[.hint].map { "; hint: \($0)" } ?? "")
    }

    /// The SQL on one line, cut after 300 characters: enough to tell the statement.
    static func abbreviated(_ sql: String) -> String {
        let line = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count <= 300 ? line : line.prefix(300) + " …"
    }
}
