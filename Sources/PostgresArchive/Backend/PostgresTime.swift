/// Times as the SQLite archive stores them, out of PostgreSQL's `timestamptz`.
///
/// A time is bound as the ISO-8601 text of `Timestamp.iso8601` and cast (`$1::timestamptz`); it
/// is read back through ``text(_:)``, which writes it the same way (UTC, milliseconds, `Z`), so
/// that the engine sees the same text from either archive. sessionsync writes only whole
/// milliseconds, so nothing is lost on the way.
public enum PostgresTime {
    /// The expression that reads the `timestamptz` expression `column` as
    /// `2022-06-28T17:39:26.459Z` (NULL stays NULL).
    public static func text(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }
}
