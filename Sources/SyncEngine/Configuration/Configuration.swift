import Logging

/// A whole, valid config: where the archive lives, how much to log, and the sources.
public struct Configuration: Sendable {
    /// The file it was read from.
    public var file: String
    public var database: String
    public var logLevel: Logger.Level
    public var sources: [SourceConfiguration]
    /// Where `run` serves `/metrics` and `/healthz` (nil: nowhere).
    public var metrics: MetricsConfiguration?
    /// Things that work but deserve a change (a secret written in the file).
    public var warnings: [ConfigProblem]

    public init(
        file: String, database: String, logLevel: Logger.Level = .info, sources: [SourceConfiguration],
        metrics: MetricsConfiguration? = nil, warnings: [ConfigProblem] = []
    ) {
        self.file = file
        self.database = database
        self.logLevel = logLevel
        self.sources = sources
        self.metrics = metrics
        self.warnings = warnings
    }

    public func source(named name: String) -> SourceConfiguration? {
        sources.first { $0.name == name }
    }

    public var enabledSources: [SourceConfiguration] {
        sources.filter(\.enabled)
    }

    /// Masks every secret this config read (disabled sources' too) in text meant for people.
    public var redactor: SecretRedactor {
        SecretRedactor(secrets: sources.flatMap(\.secrets))
    }
}
