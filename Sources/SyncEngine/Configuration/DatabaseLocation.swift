import PostgresArchive

/// Where the archive lives: the config's `database` (or `--database`).
///
/// A text written as a URL (`scheme://…`) is a PostgreSQL archive or a mistake, never a SQLite
/// file that happens to have "://" in its name; any other text is the SQLite file's path.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// The SQLite archive, the default: one file, no server.
    case sqlite(path: String)
    /// A PostgreSQL archive (issue 17); for now only `check-config` uses it.
    case postgres(PostgresLocation)

    /// What the config says when it says nothing.
    public static let defaultPath = "/var/lib/sessionsync/sessions.sqlite"

    public static func parse(_ text: String) -> Result<DatabaseLocation, PostgresLocationError> {
        guard PostgresLocation.isURL(text) else { return .success(.sqlite(path: text)) }
        return PostgresLocation.parse(text).map(DatabaseLocation.postgres)
    }

    /// The SQLite file's path; nil for a PostgreSQL archive.
    public var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// The path, or the URL written out in full (which never holds a secret).
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}
