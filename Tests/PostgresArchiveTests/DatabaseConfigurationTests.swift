import Foundation
import PostgresArchive
import Providers
import SessionSyncTesting
import SyncEngine
import Testing

@Suite("The config's database: a SQLite path or a postgres:// URL, with databasePassword read like the API keys")
struct DatabaseConfigurationTests {
    static let source = #"{"name": "i", "provider": "isnotai", "apiKey": {"env": "ISNOTAI_KEY"}}"#

    func load(_ top: String, variables: [String: String] = [:]) throws(ConfigError) -> Configuration {
        let loader = ConfigurationLoader(
            registry: StandardProviders.registry,
            environment: SecretEnvironment(variables: variables.merging(["ISNOTAI_KEY": "k"]) { $1 }))
        let text = #"{\#(top), "sources": [\#(Self.source)]}"#
        return try loader.parse(bytes: Array(text.utf8), file: "config.json")
    }

    /// The problems `top` has, as `check-config` prints them.
    func problems(_ top: String, variables: [String: String] = [:]) -> [String] {
        do {
            _ = try load(top, variables: variables)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("a path stays a SQLite archive, as before; the default is the system path")
    func sqlitePath() throws {
        let configuration = try load(#""database": "/srv/archive.sqlite""#)
        #expect(configuration.databaseLocation == .sqlite(path: "/srv/archive.sqlite"))
        #expect(configuration.database == "/srv/archive.sqlite")
        #expect(configuration.databasePassword == nil)
        let defaulted = try load(#""logLevel": "info""#)
        #expect(defaulted.database == "/var/lib/sessionsync/sessions.sqlite")
        var overridden = defaulted
        overridden.database = "other.sqlite"
        #expect(overridden.databaseLocation == .sqlite(path: "other.sqlite"))
    }

    @Test(
        "a postgres URL with its password from the environment, a file or a systemd credential",
        arguments: ["env", "file", "credential"])
    func postgresWithPassword(kind: String) throws {
        try withTemporaryDirectory { directory in
            try "pg-Secret-1\n".write(toFile: directory + "/pw", atomically: true, encoding: .utf8)
            let reference =
                switch kind {
                case "env": #"{"env": "PGPASSWORD_FOR_TEST"}"#
                case "file": #"{"file": "\#(directory)/pw"}"#
                default: #"{"credential": "pw"}"#
                }
            let configuration = try load(
                #""database": "postgres://sync@db.example.com:5433/archive?sslmode=require", "databasePassword": \#(reference)"#,
                variables: ["PGPASSWORD_FOR_TEST": "pg-Secret-1", "CREDENTIALS_DIRECTORY": directory])
            let expected = PostgresLocation(
                user: "sync", host: "db.example.com", port: 5433, database: "archive", sslMode: .require)
            #expect(configuration.databaseLocation == .postgres(expected))
            #expect(configuration.databasePassword?.reveal() == "pg-Secret-1")
            #expect(configuration.warnings.isEmpty)
            // Secrets never show: in the password's description and wherever the redactor reads.
            #expect(!"\(configuration.databasePassword as Any)".contains("pg-Secret-1"))
            #expect(configuration.redactor.redact("FATAL: pg-Secret-1") == "FATAL: [redacted]")
        }
    }

    @Test("a postgres URL needs no password (trust or peer authentication)")
    func postgresWithoutPassword() throws {
        let configuration = try load(#""database": "postgresql://sync@127.0.0.1/archive""#)
        #expect(configuration.databasePassword == nil)
        guard case .postgres(let location) = configuration.databaseLocation else {
            Issue.record("not read as PostgreSQL: \(configuration.databaseLocation)")
            return
        }
        #expect(location.sslMode == .disable)
    }

    /// (the config's top-level keys, a fragment of the one problem they make)
    static let bad: [(String, String)] = [
        (
            #""database": "postgres://sync:hunter2-pw@db.example.com/archive""#,
            "database: the URL holds a password (USER:PASSWORD@)"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive?sslmode=prefer""#,
            "database: the URL has sslmode=prefer"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive?application_name=x""#,
            "database: the URL has the parameter"
        ),
        (
            #""database": "mysql://sync@db.example.com/archive""#,
            "database: the URL is a mysql:// URL, not a PostgreSQL one"
        ),
        (
            #""database": "/srv/a.sqlite", "databasePassword": {"env": "PW"}"#,
            "databasePassword: is only for a PostgreSQL archive"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive", "databasePassword": {"env": "NOT_SET_FOR_TEST"}"#,
            "databasePassword: environment variable NOT_SET_FOR_TEST is not set"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive", "databasePassword": {"file": "/nonexistent/pw"}"#,
            "databasePassword: secret file /nonexistent/pw does not exist"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive", "databasePassword": {"credential": "pg"}"#,
            "databasePassword: credential pg needs $CREDENTIALS_DIRECTORY"
        ),
        (
            #""database": "/srv/a.sqlite", "databaseLease": "30s""#,
            "databaseLease: is only for a PostgreSQL archive shared by several instances"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive", "databaseLease": "1s""#,
            "databaseLease: \"1s\" is shorter than the minimum 3s"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive", "databaseLease": 60"#,
            "databaseLease: expected a duration string"
        ),
        (
            #""database": "postgres://sync@db.example.com/archive", "databasePasword": {"env": "PW"}"#,
            #"databasePasword: unknown key (did you mean "databasePassword"?)"#
        ),
    ]

    @Test("a bad URL or password reference is a problem at its JSON path, without the password", arguments: bad)
    func badDatabase(top: String, fragment: String) {
        let found = problems(top, variables: ["PW": "pw"])
        #expect(found.count == 1, "\(found)")
        #expect(found.contains { $0.contains(fragment) }, "\(found)")
        #expect(!found.joined().contains("hunter2"))
    }

    @Test("a PostgreSQL archive's sources are held for a minute without renewal unless databaseLease says otherwise")
    func databaseLease() throws {
        #expect(try load(#""database": "postgres://sync@db.example.com/archive""#).databaseLease == .seconds(60))
        let configured = try load(#""database": "postgres://sync@db.example.com/archive", "databaseLease": "2m""#)
        #expect(configured.databaseLease == .seconds(120))
    }

    @Test("clear text to a remote server is allowed when asked for, with a warning")
    func clearTextWarning() throws {
        let remote = try load(#""database": "postgres://sync@db.example.com/archive?sslmode=disable""#)
        #expect(
            remote.warnings.map(\.description) == [
                "database: sslmode=disable sends the password and every row in clear text to db.example.com; use "
                    + "sslmode=verify-full (or require) unless the network to it is trusted"
            ])
        let local = try load(#""database": "postgres://sync@[::1]/archive?sslmode=disable""#)
        #expect(local.warnings.isEmpty)
    }
}
