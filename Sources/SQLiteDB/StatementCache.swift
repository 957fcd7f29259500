/// Compiled statements of one connection, keyed by their SQL text.
///
/// Compiling is the expensive part of a statement that runs once per row; keeping the compiled
/// form for the connection's life makes the hot path bind-step-reset only.
final class StatementCache {
    private var statements: [String: Statement] = [:]

    func statement(for sql: String, in connection: Connection) throws(SQLiteError) -> Statement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try connection.prepare(sql, persistent: true)
        statements[sql] = statement
        return statement
    }
}
