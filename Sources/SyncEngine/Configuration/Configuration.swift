import Logging
import PostgresArchive

/// A whole, valid config: where the archive lives, how much to log, and the sources.
public struct Configuration: Sendable {
    /// The file it was read from.
    public var file: String
    /// The SQLite file or the PostgreSQL database of the archive.
    public var databaseLocation: DatabaseLocation
    /// The PostgreSQL user's password (`databasePassword`); only a PostgreSQL archive has one.
    public var databasePassword: Secret?
    /// How long a PostgreSQL archive's source stays held by an instance without a renewal
    /// (`databaseLease`): another instance takes the source over once it lapses.
    public var databaseLease: Duration = Configuration.defaultDatabaseLease
    public var logLevel: Logger.Level
    public var sources: [SourceConfiguration]
    /// Where `run` serves `/metrics` and `/healthz` (nil: nowhere).
    public var metrics: MetricsConfiguration?
    /// Things that work but deserve a change (a secret written in the file).
    public var warnings: [ConfigProblem]

    public init(
        file: String, databaseLocation: DatabaseLocation, databasePassword: Secret? = nil,
        logLevel: Logger.Level = .info, sources: [SourceConfiguration], metrics: MetricsConfiguration? = nil,
        warnings: [ConfigProblem] = []
    ) {
        self.file = file
        self.databaseLocation = databaseLocation
        self.databasePassword = databasePassword
        self.logLevel = logLevel
        self.sources = sources
        self.metrics = metrics
        self.warnings = warnings
    }

    /// A config whose archive is the SQLite file `database`.
    public init(
        file: String, database: String, logLevel: Logger.Level = .info, sources: [SourceConfiguration],
        metrics: MetricsConfiguration? = nil, warnings: [ConfigProblem] = []
    ) {
        self.init(
            file: file, databaseLocation: .sqlite(path: database), logLevel: logLevel, sources: sources,
            metrics: metrics, warnings: warnings)
    }

    /// The archive as text, for the code that knows only SQLite: the file's path. A PostgreSQL
    /// archive reads as its URL, which no such code may open: the commands refuse it before
    /// they get there (exit 78). Setting it names a SQLite file (`--database FILE`).
    public static let defaultDatabaseLease: Duration = PostgresArchiveDatabase.defaultLeasePeriod

    public var database: String {
        get { databaseLocation.description }
        set { databaseLocation = .sqlite(path: newValue) }
    }

    public func source(named name: String) -> SourceConfiguration? {
        sources.first { $0.name == name }
    }

    public var enabledSources: [SourceConfiguration] {
        sources.filter(\.enabled)
    }

    /// Masks every secret this config read (disabled sources' too) in text meant for people.
    public var redactor: SecretRedactor {
        SecretRedactor(secrets: sources.flatMap(\.secrets) + (databasePassword.map { [$0] } ?? []))
    }
}
