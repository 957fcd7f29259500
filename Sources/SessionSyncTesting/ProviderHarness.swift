import Archive
import Foundation
import Logging
import PostgresArchive
import PostgresNIO
import Providers
import SQLiteDB
import SessionSyncSupport
import Simulators
import SyncEngine
import Synchronization

/// One provider source against its simulator, with a fresh archive: a SQLite file in a temporary
/// folder, or a PostgreSQL database of its own (``ArchiveChoice``). Tests make one with
/// ``withProviderHarness(api:source:secrets:registry:archive:isolation:_:)``, which shuts it down
/// before the test returns.
///
/// The query helpers (``count(_:_:)``, ``text(_:_:)``, ``rows(_:_:)``, ``execute(_:_:)``,
/// ``archiveDigest(ignoringQueueKinds:)``) run on either archive and answer the same: a test body
/// runs once per ``ArchiveChoice``. ``connection()``, ``contentDigest(ignoringQueueKinds:)`` and
/// ``fileBytes()`` are about the SQLite file, and throw on a PostgreSQL harness.
///
/// ```swift
/// try await withProviderHarness(api: YourGPTSimulator(options: options), source: #""provider": "yourgpt", ..."#) { harness in
///     let outcome = await harness.pass()
///     #expect(try await harness.count("SELECT count(*) FROM sessions") == 250)
/// }
/// ```
public final class ProviderHarness: Sendable {
    public let server: SimulatorServer
    public let directory: String
    public let databasePath: String
    /// What the runner writes to: the SQLite archive, or the PostgreSQL one.
    public let backend: any ArchiveBackend
    /// The pool on the PostgreSQL archive, for a PostgreSQL harness.
    public let postgres: PostgresClient?
    private let sqlite: ArchiveDatabase?
    public let transport: HTTPTransport
    public let configuration: Configuration
    public let logs: LogCapture
    /// Waits the engine asked for (backoff, Retry-After), recorded instead of slept.
    public let sleeps = Mutex<[Duration]>([])
    public let registry: ProviderRegistry

    /// - Parameters:
    ///   - source: the members of the source object after `"name": "test", "baseURL": ...`,
    ///     e.g. `"provider": "yourgpt", "apiKey": {"env": "KEY"}, "messages": true`.
    ///   - secrets: environment variables the source's secrets read.
    ///   - postgres: the archive to write to instead of a SQLite file in a temporary folder,
    ///     migrated and running.
    public init(
        api: any SimulatedAPI, source: String, secrets: [String: String] = [:],
        registry: ProviderRegistry = StandardProviders.registry, postgres: PostgresArchiveDatabase? = nil
    ) async throws {
        let server = try await SimulatorServer(api: api)
        let directory = NSTemporaryDirectory() + "sessionsync-provider-" + UUID().uuidString
        let databasePath = directory + "/archive.sqlite"
        let sqlite: ArchiveDatabase?
        let configuration: Configuration
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            sqlite = postgres == nil ? try ArchiveDatabase(path: databasePath) : nil
            // Tests run fast unless they are about rate limits.
            let limit = source.contains("\"rateLimit\"") ? "" : #", "rateLimit": {"requests": 10000, "per": "1s"}"#
            let text =
                #"{"database": "\#(databasePath)", "sources": [{"name": "test", "baseURL": "\#(server.baseURL)", \#(source)\#(limit)}]}"#
            let loader = ConfigurationLoader(registry: registry, environment: SecretEnvironment(variables: secrets))
            configuration = try loader.parse(bytes: Array(text.utf8), file: "(test)")
        } catch {
            // No harness comes back to shut down: the server stops here, or it would outlive the test.
            await server.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        self.registry = registry
        self.server = server
        self.directory = directory
        self.databasePath = databasePath
        self.sqlite = sqlite
        self.backend = postgres ?? sqlite!
        self.postgres = postgres?.client
        self.configuration = configuration
        // Made last: nothing below can fail and leave its event loop running.
        transport = HTTPTransport()
        logs = LogCapture(redactor: configuration.redactor)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The SQLite archive; a PostgreSQL harness has none.
    public var archive: ArchiveDatabase {
        get throws {
            guard let sqlite else { throw SQLiteOnly() }
            return sqlite
        }
    }

    public var source: SourceConfiguration {
        configuration.sources[0]
    }

    /// A runner whose waits are recorded, not slept, and whose logs are captured.
    public func runner(retry: RetryPolicy? = nil, metrics: EngineMetrics? = nil) -> SourceRunner {
        let sleeper = Sleeper { [self] duration in
            sleeps.withLock { $0.append(duration) }
            try Task.checkCancellation()
        }
        return SourceRunner(
            source: source, descriptor: registry[source.provider]!, archive: backend, transport: transport,
            logger: logs.logger, sleeper: sleeper, retry: retry, metrics: metrics
        )
    }

    /// One pass, as `sessionsync sync` runs it.
    @discardableResult
    public func pass(retry: RetryPolicy? = nil) async -> PassOutcome {
        await runner(retry: retry).runPass()
    }

    public func shutdown() async {
        await transport.shutdown()
        await server.shutdown()
    }

    // MARK: Reading the archive

    /// A second connection, as a user's `sqlite3` would open it.
    public func connection() throws -> Connection {
        _ = try archive
        return try Connection(path: databasePath, options: Connection.Options(mode: .readOnly))
    }

    /// A digest of the SQLite archive's content, to prove a pass changed nothing
    /// (``ArchiveDigest``). Queue items of `ignoringQueueKinds` are left out: for a pass whose
    /// only trace is meant to be a failed item's retry.
    public func contentDigest(ignoringQueueKinds: Set<String> = []) throws -> String {
        try ArchiveDigest.of(sqlite: connection(), ignoringQueueKinds: ignoringQueueKinds)
    }

    /// ``contentDigest(ignoringQueueKinds:)`` of whichever archive the harness writes to.
    public func archiveDigest(ignoringQueueKinds: Set<String> = []) async throws -> String {
        guard let postgres else { return try contentDigest(ignoringQueueKinds: ignoringQueueKinds) }
        return try await ArchiveDigest.of(postgres: postgres, ignoringQueueKinds: ignoringQueueKinds)
    }

    /// All bytes of the database file and its WAL, to look for a secret.
    public func fileBytes() throws -> [UInt8] {
        _ = try archive
        var bytes: [UInt8] = []
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: databasePath + suffix) { bytes += Array(data) }
        }
        return bytes
    }
}

extension ProviderHarness {
    /// A helper that reads the SQLite file, called on a PostgreSQL harness.
    public struct SQLiteOnly: Error, CustomStringConvertible {
        public var description: String {
            "this helper reads the SQLite archive, and a PostgreSQL harness has none"
        }
    }
}

/// Log lines a test can read.
public final class LogCapture: Sendable {
    /// A reference the log sink can hold before this object is initialized.
    private final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    private let lines = Lines()
    public let logger: Logger

    /// - Parameter redactor: what the handler masks, as the process's would for the config.
    public init(redactor: SecretRedactor = SecretRedactor()) {
        let lines = self.lines
        let sink = LogSink { line in lines.value.withLock { $0.append(line) } }
        let level = LogLevelControl(.trace)
        let redaction = ProcessRedactor(redactor)
        logger = Logger(label: "test") { label in
            LineLogHandler(label: label, level: level, redaction: redaction, underJournal: false, sink: sink)
        }
    }

    public var text: String {
        lines.value.withLock { $0.joined() }
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle`'s UTF-8 bytes occur in these bytes.
    public func contains(text needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, pattern.count <= count else { return false }
        for start in 0...(count - pattern.count) where self[start] == pattern[0] {
            if Array(self[start..<(start + pattern.count)]) == pattern { return true }
        }
        return false
    }
}
