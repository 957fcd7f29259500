/// Why `sessionsync copy` stopped, in one sentence that says what to do; never a password.
public struct SQLiteArchiveCopyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The operator must change something (another target, another file, a migration) before a
    /// run can succeed: exit status 78. Otherwise the copy may go on when run again (1).
    public let isConfigProblem: Bool

    private init(_ description: String, isConfigProblem: Bool) {
        self.description = description
        self.isConfigProblem = isConfigProblem
    }

    /// The target holds rows this copy did not write (a daemon's archive, another copy).
    static func foreignTarget(_ server: PostgresLocation, tables: [String]) -> Self {
        Self(
            "\(server) already holds an archive that this copy did not write (rows in "
                + "\(tables.joined(separator: ", "))); copy into an empty database, e.g. one made with "
                + "`createdb`, or drop this one first if it holds nothing you need",
            isConfigProblem: true)
    }

    /// A copy of another file was started into the target.
    static func otherSource(_ server: PostgresLocation, started: String, given: String) -> Self {
        Self(
            "\(server) holds a copy of \(started), not of \(given); run the copy again with --from \(started) to "
                + "finish it, or copy \(given) into another, empty database",
            isConfigProblem: true)
    }

    /// Rows of a copied table appeared in the target beside the copy's own since its last run.
    static func changedTarget(_ server: PostgresLocation, table: String, copied: Int64, found: Int64) -> Self {
        Self(
            "\(server) was written to by something else since this copy stopped (\(table) holds \(found) row(s), "
                + "the copy wrote \(copied)): stop every sessionsync using it, then copy into a new, empty database",
            isConfigProblem: true)
    }

    /// The source holds fewer rows than an earlier run copied: it changed between the runs.
    static func changedSource(_ file: String, table: String, copied: Int64) -> Self {
        Self(
            "\(file) changed since the copy's last run (\(table) has fewer rows than the \(copied) already copied): "
                + "stop the daemon writing to it, then copy into a new, empty database",
            isConfigProblem: true)
    }

    /// The source's schema is not this release's.
    static func sourceSchema(_ file: String, version: Int, latest: Int) -> Self {
        if version < latest {
            return Self(
                "\(file) is at schema version \(version), this release's is \(latest): run "
                    + "`sessionsync migrate --database \(file)` first (with the daemon stopped), then copy",
                isConfigProblem: true)
        }
        return Self(
            "\(file) is at schema version \(version), written by a newer sessionsync than this one (\(latest)); "
                + "copy it with that release",
            isConfigProblem: true)
    }

    /// A row whose value PostgreSQL's column cannot take, or that the server refused.
    static func row(_ table: String, key: String, problem: String) -> Self {
        Self("\(table) row \(key): \(problem)", isConfigProblem: false)
    }

    /// Another copy moved the same table's progress while this one worked.
    static func concurrentCopy(_ server: PostgresLocation, table: String) -> Self {
        Self(
            "another copy into \(server) wrote \(table) at the same time as this one; let one copy run at a time "
                + "(running it again continues where the committed work stopped)",
            isConfigProblem: false)
    }
}
