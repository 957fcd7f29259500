import Foundation
import Logging
import PostgresArchive
import SessionSyncSupport

/// Reads and validates a config file (contract section 2), collecting every problem with its
/// JSON path before giving up, so one run of `check-config` shows everything to fix.
public struct ConfigurationLoader: Sendable {
    public let registry: ProviderRegistry
    public var environment: SecretEnvironment

    public init(registry: ProviderRegistry, environment: SecretEnvironment = SecretEnvironment()) {
        self.registry = registry
        self.environment = environment
    }

    /// The config file a command uses: `--config`, else `$SESSIONSYNC_CONFIG`, else the system path.
    public static func defaultPath(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit { return explicit }
        if let fromEnvironment = environment["SESSIONSYNC_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "/etc/sessionsync/config.json"
    }

    public func load(file path: String) throws(ConfigError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "cannot be read by this user" : "does not exist (pass --config FILE or set SESSIONSYNC_CONFIG)"
            throw ConfigError(file: path, problems: [ConfigProblem(path: "", message: "the config file \(reason)")])
        }
        return try parse(bytes: Array(data), file: path)
    }

    public func parse(bytes: [UInt8], file: String) throws(ConfigError) -> Configuration {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: bytes)
        } catch {
            throw ConfigError(
                file: file,
                problems: [
                    ConfigProblem(
                        path: "",
                        message:
                            "not valid JSON: \(error.description) (\(Self.lineAndColumn(of: error.offset, in: bytes)))")
                ])
        }
        let problems = ConfigProblems()
        guard document.root.kind == .object else {
            throw ConfigError(
                file: file,
                problems: [
                    ConfigProblem(path: "", message: "the top level must be an object, found \(document.root.kind)")
                ])
        }
        let root = ConfigObjectReader(
            object: document.root, path: "", problems: problems, environment: environment, secrets: ResolvedSecrets())
        let database = readDatabase(root)
        let databasePassword = readDatabasePassword(root, database: database)
        let databaseLease = readDatabaseLease(root, database: database)
        let levelNames = Logger.Level.allCases.map(\.rawValue)
        let logLevel = root.string("logLevel", allowed: levelNames).flatMap(Logger.Level.init(rawValue:)) ?? .info
        let metrics = readMetrics(root)
        var sources: [SourceConfiguration] = []
        var seenNames: [String: String] = [:]
        if let readers = root.objectArray("sources", required: true) {
            if readers.isEmpty && root.value("sources")?.count == 0 {
                root.problem("sources", "lists no source; add at least one")
            }
            for reader in readers {
                if let source = readSource(reader) {
                    if let firstPath = seenNames[source.name] {
                        reader.problem(
                            "name",
                            "\"\(source.name)\" is already the name of \(firstPath); source names must be unique")
                    } else {
                        seenNames[source.name] = reader.path
                        sources.append(source)
                    }
                }
            }
        }
        root.finish()
        guard problems.isEmpty else {
            throw ConfigError(file: file, problems: problems.problems)
        }
        var configuration = Configuration(
            file: file, databaseLocation: database, databasePassword: databasePassword, logLevel: logLevel,
            sources: sources, metrics: metrics, warnings: problems.warnings)
        configuration.databaseLease = databaseLease ?? Configuration.defaultDatabaseLease
        return configuration
    }

    /// `"database"`: a SQLite file's path, or `postgres://USER@HOST:PORT/DB?sslmode=...`.
    private func readDatabase(_ root: ConfigObjectReader) -> DatabaseLocation {
        guard let text = root.string("database") else { return .sqlite(path: DatabaseLocation.defaultPath) }
        switch DatabaseLocation.parse(text) {
        case .success(let location):
            if case .postgres(let postgres) = location, postgres.sslMode == .disable, !postgres.isLoopback {
                root.warning(
                    "database",
                    "sslmode=disable sends the password and every row in clear text to \(postgres.host); use "
                        + "sslmode=verify-full (or require) unless the network to it is trusted")
            }
            return location
        case .failure(let error):
            root.problem("database", "the URL \(error.message)")
            return .sqlite(path: DatabaseLocation.defaultPath)
        }
    }

    /// `"databasePassword"`: a secret like the sources' keys, for a PostgreSQL archive only.
    private func readDatabasePassword(_ root: ConfigObjectReader, database: DatabaseLocation) -> Secret? {
        let password = root.secret("databasePassword", required: false)
        if root.object["databasePassword"] != nil, case .sqlite = database {
            root.problem(
                "databasePassword",
                "is only for a PostgreSQL archive, and \"database\" is a SQLite file; remove it, or set "
                    + "\"database\" to a postgres:// URL")
        }
        return password
    }

    /// `"databaseLease"`: how long a source of a PostgreSQL archive stays held without a renewal.
    /// At least 3 s, since heartbeats renew it three times within a period and a shorter one
    /// would be lost to one slow round trip; at most an hour, which is already that long for a
    /// dead instance's sources to wait.
    private func readDatabaseLease(_ root: ConfigObjectReader, database: DatabaseLocation) -> Duration? {
        let lease = root.duration("databaseLease", minimum: .seconds(3), maximum: .seconds(3600))
        if root.object["databaseLease"] != nil, case .sqlite = database {
            root.problem(
                "databaseLease",
                "is only for a PostgreSQL archive shared by several instances, and \"database\" is a SQLite file "
                    + "(one process at a time, by the file's lock); remove it")
        }
        return lease
    }

    private func readSource(_ reader: ConfigObjectReader) -> SourceConfiguration? {
        let before = reader.problems.problems.count
        let name = reader.string("name", required: true)
        if let name,
            !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        {
            reader.problem("name", "\"\(name)\" may use only letters, digits, '-', '_' and '.'")
        }
        let providerName = reader.string("provider", required: true)
        var descriptor: ProviderDescriptor?
        if let providerName {
            descriptor = registry[providerName]
            if descriptor == nil {
                reader.problem(
                    "provider", "unknown provider \"\(providerName)\"; known: \(registry.names.joined(separator: ", "))"
                )
            }
        }
        let enabled = reader.bool("enabled") ?? true
        let schedule = readSchedule(reader)
        let baseURLText = reader.string("baseURL", required: descriptor != nil && descriptor?.defaults.baseURL == nil)
        let allowInsecure = reader.bool("allowInsecureHTTP") ?? false
        let since = reader.timestamp("since")
        let rateLimit = readRateLimit(reader)
        let maxConcurrent = reader.int("maxConcurrentRequests", range: 1...64)
        let timeout = reader.duration("timeout", minimum: .seconds(1), maximum: .seconds(600))
        let lookback = reader.duration("lookback", maximum: .seconds(30 * 86_400))
        let maxResponseBytes = reader.int("maxResponseBytes", range: 1024...(1 << 30))
        let retries = reader.int("retries", range: 0...10)
        // Applied at most once a day, so a shorter window could not be kept; at most a century.
        let retention = reader.duration("retention", minimum: .seconds(86_400), maximum: .seconds(36_500 * 86_400))

        var baseURL: BaseURL?
        if let text = baseURLText ?? descriptor?.defaults.baseURL {
            switch BaseURL.parse(text) {
            case .success(let url):
                if let reason = OutboundURLPolicy(baseURL: url).refusal(of: url.description) {
                    reader.problem("baseURL", "\"\(text)\" cannot be used: \(reason)")
                } else if url.scheme == "http" && !url.isLoopback && !allowInsecure {
                    reader.problem(
                        "baseURL",
                        "\"\(text)\" uses plain http to a host that is not loopback, which would send the API key in clear text; "
                            + "use https:// (or set \"allowInsecureHTTP\": true if you really mean it)"
                    )
                } else {
                    baseURL = url
                }
            case .failure(let error):
                reader.problem("baseURL", error.message)
            }
        }
        let secretsBefore = reader.secrets.all.count
        let settings = descriptor.flatMap { $0.readSettings(reader) }
        let secrets = Array(reader.secrets.all[secretsBefore...])
        if descriptor == nil {
            // The provider's own keys cannot be checked without knowing the provider.
            for (key, _) in reader.object.members { reader.allow(key) }
        }
        reader.finish()
        guard reader.problems.problems.count == before, let name, let providerName, let descriptor, let baseURL,
            let settings
        else {
            return nil
        }
        let defaults = descriptor.defaults
        return SourceConfiguration(
            name: name, provider: providerName, enabled: enabled, schedule: schedule ?? defaults.schedule,
            baseURL: baseURL, since: since, rateLimits: rateLimit.map { [$0] } ?? defaults.rateLimits,
            maxConcurrentRequests: maxConcurrent ?? defaults.maxConcurrentRequests,
            timeout: timeout ?? defaults.timeout,
            lookback: lookback ?? defaults.lookback, allowInsecureHTTP: allowInsecure,
            maxResponseBytes: maxResponseBytes ?? defaults.maxResponseBytes, retries: retries ?? defaults.retries,
            settings: settings, secrets: secrets, retention: retention
        )
    }

    private func readSchedule(_ reader: ConfigObjectReader) -> Schedule? {
        guard let schedule = reader.object("schedule") else { return nil }
        let every = schedule.duration("every", minimum: .seconds(1))
        let cronText = schedule.string("cron")
        let jitter = schedule.duration("jitter") ?? .zero
        var rule: Schedule.Rule?
        switch (schedule.object["every"] != nil, schedule.object["cron"] != nil) {
        case (true, true):
            schedule.problem(nil, "set either \"every\" or \"cron\", not both")
        case (false, false):
            schedule.problem(nil, "needs \"every\" (e.g. \"5m\") or \"cron\" (e.g. \"*/10 * * * *\")")
        case (true, false):
            rule = every.map(Schedule.Rule.every)
        case (false, true):
            if let cronText {
                do {
                    rule = .cron(try CronExpression(cronText))
                } catch {
                    schedule.problem("cron", "\"\(cronText)\" is not a 5-field cron expression: \(error.message)")
                }
            }
        }
        if case .every(let interval) = rule, jitter >= interval {
            schedule.problem("jitter", "must be shorter than the interval \(DurationText.format(interval))")
        }
        schedule.finish()
        return rule.map { Schedule(rule: $0, jitter: jitter) }
    }

    /// `"metrics": {"listen": "127.0.0.1:9464", "allowRemote": false}`: `listen` defaults to
    /// ``MetricsConfiguration/defaultListen``; an address other hosts can reach needs `allowRemote`,
    /// since the endpoint names every source and its errors to whoever connects.
    private func readMetrics(_ reader: ConfigObjectReader) -> MetricsConfiguration? {
        guard let metrics = reader.object("metrics") else { return nil }
        let listenText = metrics.string("listen")
        let allowRemote = metrics.bool("allowRemote") ?? false
        metrics.finish()
        var configuration = MetricsConfiguration(allowRemote: allowRemote)
        if let listenText {
            switch ListenAddress.parse(listenText) {
            case .success(let address): configuration.listen = address
            case .failure(let error):
                metrics.problem("listen", error.message)
                return nil
            }
        } else if metrics.object["listen"] != nil {
            return nil
        }
        if !configuration.listen.isLoopback && !allowRemote {
            metrics.problem(
                "listen",
                "\"\(configuration.listen)\" is not a loopback address: every host that can reach it could read "
                    + "the metrics and health of your sources; listen on 127.0.0.1 or [::1] (and let Prometheus "
                    + "scrape through a proxy or tunnel), or set \"allowRemote\": true if you mean it"
            )
            return nil
        }
        return configuration
    }

    private func readRateLimit(_ reader: ConfigObjectReader) -> RateLimit? {
        guard let limit = reader.object("rateLimit") else { return nil }
        let requests = limit.int("requests", range: 1...1_000_000)
        if limit.object["requests"] == nil { limit.problem("requests", "missing (required)") }
        let per = limit.duration("per", minimum: .milliseconds(1))
        if limit.object["per"] == nil { limit.problem("per", "missing (required), e.g. \"10s\"") }
        limit.finish()
        guard let requests, let per else { return nil }
        return RateLimit(requests: requests, per: per)
    }

    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> String {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }
}
