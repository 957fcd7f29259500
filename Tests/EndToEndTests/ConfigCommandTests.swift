import Foundation
import PostgresArchive
import SQLiteDB
import SessionSyncTesting
import Simulators
import Testing

@Suite("Config validation through the binary: exit 78 with every problem and its JSON path")
struct ConfigCommandTests {
    /// A valid single-source config around `source`'s members.
    static func config(database: String = "archive.sqlite", sources: String) -> String {
        #"{"database": "\#(database)", "sources": [\#(sources)]}"#
    }

    static let openreplay =
        #"{"name": "or", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "pk", "apiKey": {"env": "OR_KEY"}"#

    /// (what is wrong, config text, the path and words the error must name)
    static let cases: [(String, String, [String])] = [
        (
            "unknown top-level key", #"{"database": "a.sqlite", "logLevl": "info", "sources": [\#(openreplay)}]}"#,
            ["logLevl: unknown key", #"did you mean "logLevel""#]
        ),
        (
            "unknown source key", config(sources: openreplay + #", "pagesize": 10}"#),
            ["sources[0].pagesize: unknown key", #"did you mean "pageSize""#]
        ),
        (
            "wrong type", config(sources: openreplay + #", "enabled": "yes"}"#),
            ["sources[0].enabled: expected true or false, found a string"]
        ),
        (
            "wrong type of a number", config(sources: openreplay + #", "pageSize": "50"}"#),
            ["sources[0].pageSize: expected a whole number"]
        ),
        (
            "bad duration", config(sources: openreplay + #", "schedule": {"every": "5 minutes"}}"#),
            ["sources[0].schedule.every", "is not a duration"]
        ),
        (
            "retention shorter than a day", config(sources: openreplay + #", "retention": "12h"}"#),
            ["sources[0].retention", "shorter than the minimum 1d"]
        ),
        (
            "bad cron", config(sources: openreplay + #", "schedule": {"cron": "*/10 * * *"}}"#),
            ["sources[0].schedule.cron", "expected 5 fields"]
        ),
        (
            "bad cron field", config(sources: openreplay + #", "schedule": {"cron": "61 * * * *"}}"#),
            ["sources[0].schedule.cron", "minute field"]
        ),
        (
            "both every and cron",
            config(sources: openreplay + #", "schedule": {"every": "1m", "cron": "* * * * *"}}"#),
            ["sources[0].schedule", "not both"]
        ),
        (
            "duplicate names", config(sources: openreplay + "}, " + openreplay + "}"),
            ["sources[1].name", "already the name of sources[0]"]
        ),
        (
            "unknown provider",
            config(sources: #"{"name": "x", "provider": "hubspot", "baseURL": "https://x.example.com"}"#),
            ["sources[0].provider", #"unknown provider "hubspot""#, "openreplay, isnotai, realtimekit, yourgpt"]
        ),
        (
            "missing provider key",
            config(
                sources:
                    #"{"name": "or", "provider": "openreplay", "baseURL": "https://or.example.com", "apiKey": {"env": "OR_KEY"}}"#
            ), ["sources[0].projectKey: missing (required)"]
        ),
        (
            "missing realtimekit ids",
            config(sources: #"{"name": "m", "provider": "realtimekit", "apiToken": {"env": "OR_KEY"}}"#),
            ["sources[0].accountId: missing (required)", "sources[0].appId: missing (required)"]
        ),
        (
            "unset environment secret",
            config(
                sources:
                    #"{"name": "or", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "pk", "apiKey": {"env": "NOT_SET_ANYWHERE"}}"#
            ), ["sources[0].apiKey: environment variable NOT_SET_ANYWHERE is not set"]
        ),
        (
            "missing secret file",
            config(sources: #"{"name": "i", "provider": "isnotai", "apiKey": {"file": "/nonexistent/isnotai.key"}}"#),
            ["sources[0].apiKey: secret file /nonexistent/isnotai.key does not exist"]
        ),
        (
            "credential secret outside systemd",
            config(
                sources:
                    #"{"name": "m", "provider": "realtimekit", "accountId": "a", "appId": "b", "apiToken": {"credential": "cloudflare"}}"#
            ), ["sources[0].apiToken: credential cloudflare needs $CREDENTIALS_DIRECTORY"]
        ),
        (
            "bad secret form", config(sources: #"{"name": "i", "provider": "isnotai", "apiKey": {"vault": "x"}}"#),
            ["sources[0].apiKey", #""vault" is not a kind of secret"#]
        ),
        (
            "plain http to a remote host",
            config(
                sources:
                    #"{"name": "i", "provider": "isnotai", "baseURL": "http://api.isnotai.com", "apiKey": {"env": "OR_KEY"}}"#
            ), ["sources[0].baseURL", "plain http", "allowInsecureHTTP"]
        ),
        (
            "bad yourgpt filter",
            config(
                sources:
                    #"{"name": "y", "provider": "yourgpt", "apiKey": {"env": "OR_KEY"}, "filter": [{"model": "SESSION", "key": "colour", "operator": "like", "value": "x"}]}"#
            ), ["sources[0].filter[0].key", #""colour" is not one of"#, "sources[0].filter[0].operator"]
        ),
        ("not JSON", #"{"database": "a.sqlite", "sources": [}"#, ["not valid JSON", "line 1"]),
        ("no sources key", #"{"database": "a.sqlite"}"#, ["sources: missing (required)"]),
        (
            "bad log level",
            config(sources: openreplay + "}").replacingOccurrences(
                of: #""database""#, with: #""logLevel": "loud", "database""#), [#"logLevel: "loud" is not one of"#]
        ),
        (
            "rate limit without per", config(sources: openreplay + #", "rateLimit": {"requests": 5}}"#),
            ["sources[0].rateLimit.per: missing (required)"]
        ),
        (
            "metrics: unknown key", withMetrics(#"{"listen": "127.0.0.1:9464", "port": 9464}"#),
            ["metrics.port: unknown key"]
        ),
        ("metrics: not an object", withMetrics(#""127.0.0.1:9464""#), ["metrics: expected an object, found a string"]),
        ("metrics: no port", withMetrics(#"{"listen": "127.0.0.1"}"#), ["metrics.listen", "has no port"]),
        (
            "metrics: port out of range", withMetrics(#"{"listen": "127.0.0.1:70000"}"#),
            ["metrics.listen", "not a port"]
        ),
        ("metrics: port 0", withMetrics(#"{"listen": "localhost:0"}"#), ["metrics.listen", "not a port (1 to 65535)"]),
        (
            "metrics: a host name", withMetrics(#"{"listen": "metrics.example.com:9464"}"#),
            ["metrics.listen", "is not an IP address"]
        ),
        (
            "metrics: IPv6 without brackets", withMetrics(#"{"listen": "::1:9464"}"#),
            ["metrics.listen", "IPv6 address is written in brackets"]
        ),
        (
            "metrics: every interface without allowRemote", withMetrics(#"{"listen": "0.0.0.0:9464"}"#),
            ["metrics.listen", "is not a loopback address", "allowRemote"]
        ),
        (
            "metrics: a remote IPv6 address without allowRemote", withMetrics(#"{"listen": "[2001:db8::1]:9464"}"#),
            ["metrics.listen", #""[2001:db8::1]:9464" is not a loopback address"#]
        ),
        (
            "metrics: allowRemote not a bool", withMetrics(#"{"listen": "0.0.0.0:9464", "allowRemote": "yes"}"#),
            ["metrics.allowRemote: expected true or false"]
        ),
        (
            "a password in the database URL",
            config(database: "postgres://sync:pw@db.example.com/archive", sources: openreplay + "}"),
            ["database: the URL holds a password", "databasePassword"]
        ),
        (
            "an unknown sslmode",
            config(database: "postgres://sync@db.example.com/archive?sslmode=on", sources: openreplay + "}"),
            ["database: the URL has sslmode=on, which is not one of disable, require, verify-full"]
        ),
    ]

    /// A valid config with `"metrics": value`.
    static func withMetrics(_ value: String) -> String {
        #"{"metrics": \#(value), "database": "a.sqlite", "sources": [\#(openreplay)}]}"#
    }

    @Test(
        "metrics addresses that check-config accepts",
        arguments: [
            #"{}"#, #"{"listen": "127.0.0.1:9464"}"#, #"{"listen": "127.0.0.2:1"}"#, #"{"listen": "localhost:9100"}"#,
            #"{"listen": "[::1]:9464"}"#, #"{"listen": "[::ffff:127.0.0.1]:9464"}"#,
            #"{"listen": "0.0.0.0:9464", "allowRemote": true}"#, #"{"listen": "[::]:9464", "allowRemote": true}"#,
        ])
    func goodMetrics(value: String) throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("config.json", Self.withMetrics(value), in: directory)
            let result = try runSessionSync(["check-config", "--config", file], environment: ["OR_KEY": "k"])
            #expect(result.status == 0, "\(value): \(result.stderr)")
        }
    }

    /// Ids that cannot be a path segment: the only ones refused.
    static let badIDs: [(String, String, [String])] = [
        (
            "app id with a slash",
            config(
                sources:
                    #"{"name": "m", "provider": "realtimekit", "accountId": "023e105f4ecef8ad9ca31a8372d0c353", "appId": "abc/def", "apiToken": {"env": "OR_KEY"}}"#
            ), ["sources[0].appId", "is not a RealtimeKit app id", "'/'"]
        ),
        (
            "app id with a pasted newline",
            config(
                sources:
                    #"{"name": "m", "provider": "realtimekit", "accountId": "023e105f4ecef8ad9ca31a8372d0c353", "appId": "9f1c2d3e-aaaa-4bbb-8ccc-000000000001\n", "apiToken": {"env": "OR_KEY"}}"#
            ), ["sources[0].appId", "whitespace or a control character"]
        ),
        (
            "empty account id",
            config(
                sources:
                    #"{"name": "m", "provider": "realtimekit", "accountId": "", "appId": "9f1c2d3e-aaaa-4bbb-8ccc-000000000001", "apiToken": {"env": "OR_KEY"}}"#
            ), ["sources[0].accountId: must not be empty"]
        ),
        (
            "project key with a space",
            config(
                sources:
                    #"{"name": "or", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "aYYa FHia", "apiKey": {"env": "OR_KEY"}}"#
            ), ["sources[0].projectKey", "is not an OpenReplay project key"]
        ),
    ]

    @Test("an id that cannot be a path segment exits 78 and says why", arguments: badIDs)
    func badID(what: String, text: String, expected: [String]) throws {
        try badConfig(what: what, text: text, expected: expected)
    }

    /// Ids as the providers' documents and dashboards show them: a RealtimeKit app id is a UUID
    /// (36 characters), a Cloudflare account id 32 hex digits, OpenReplay project keys 20
    /// characters in the docs and longer on self-hosted instances.
    @Test("ids as the real services issue them pass check-config")
    func realIDs() throws {
        try withTemporaryDirectory { directory in
            let sources = [
                #"{"name": "m", "provider": "realtimekit", "accountId": "023e105f4ecef8ad9ca31a8372d0c353", "appId": "9f1c2d3e-aaaa-4bbb-8ccc-000000000001", "apiToken": {"env": "OR_KEY"}}"#,
                #"{"name": "m2", "provider": "realtimekit", "accountId": "023E105F4ECEF8AD9CA31A8372D0C353", "appId": "0192d4c1-7a7e-7cc4-b2f1-3e4b5a6c7d8e", "apiToken": {"env": "OR_KEY"}}"#,
                #"{"name": "or", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "aYYaFHiagqdXKEmVlmvJ", "apiKey": {"env": "OR_KEY"}}"#,
                #"{"name": "or2", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "k3Hq9ZrT0vXw2YbNc8LmPaSd4FgJh6Ke7Ui1Oy5R", "apiKey": {"env": "OR_KEY"}}"#,
            ]
            let file = try writeFile(
                "config.json", Self.config(sources: sources.joined(separator: ", ")), in: directory)
            let result = try runSessionSync(
                ["check-config", "--config", file], environment: ["OR_KEY": "k"], directory: directory)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("valid, 4 source(s)"))
        }
    }

    @Test("a RealtimeKit source with a UUID app id syncs through the binary")
    func uuidAppSyncs() async throws {
        try await withTemporaryDirectory { directory in
            var options = RealtimeKitSimulator.Options()
            options.sessions = 6
            options.appID = "9f1c2d3e-aaaa-4bbb-8ccc-000000000001"
            try await withSimulatorServer(api: RealtimeKitSimulator(options: options)) { server in
                let source =
                    #"{"name": "m", "provider": "realtimekit", "baseURL": "\#(server.baseURL)", "accountId": "\#(options.accountID)", "appId": "\#(options.appID)", "apiToken": {"env": "RTK"}, "chat": false}"#
                let file = try writeFile(
                    "config.json", Self.config(database: directory + "/a.sqlite", sources: source), in: directory)
                let result = try runSessionSync(
                    ["sync", "--config", file], environment: ["RTK": options.apiToken], directory: directory)
                #expect(result.status == 0, "stderr: \(result.stderr)")
                let paths = server.log.all.map(\.request.path)
                #expect(
                    paths.contains {
                        $0.hasPrefix("/accounts/\(options.accountID)/realtime/kit/\(options.appID)/sessions")
                    })
                let archive = try Connection(
                    path: directory + "/a.sqlite", options: Connection.Options(mode: .readOnly))
                #expect(try archive.scalarInt("SELECT count(*) FROM sessions") == 6)
            }
        }
    }

    @Test("a bad config exits 78 and names the JSON path", arguments: cases)
    func badConfig(what: String, text: String, expected: [String]) throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("config.json", text, in: directory)
            for command in ["check-config", "status", "migrate"]
            where command == "check-config" || !what.contains("secret") {
                let result = try runSessionSync(
                    [command, "--config", file], environment: ["OR_KEY": "k"], directory: directory)
                #expect(result.status == 78, "\(what) / \(command): exit \(result.status), stderr: \(result.stderr)")
                for fragment in expected {
                    #expect(
                        result.stderr.contains(fragment),
                        "\(what) / \(command): stderr lacks \"\(fragment)\": \(result.stderr)")
                }
            }
        }
    }

    @Test("every problem is reported in one run, not only the first")
    func allProblems() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile(
                "config.json",
                #"{"sources": [{"name": "a b", "provider": "openreplay", "baseURL": "ftp://x", "apiKey": {"env": "NOPE"}, "bogus": 1}, {"name": "y", "provider": "nope"}]}"#,
                in: directory
            )
            let result = try runSessionSync(["check-config", "--config", file])
            #expect(result.status == 78)
            for fragment in [
                "sources[0].name", "sources[0].baseURL", "sources[0].apiKey: environment variable NOPE is not set",
                "sources[0].projectKey: missing", "sources[0].bogus: unknown key", "sources[1].provider",
            ] {
                #expect(result.stderr.contains(fragment), "missing \(fragment) in: \(result.stderr)")
            }
        }
    }

    @Test("a missing config file exits 78 and says how to point at one")
    func missingFile() throws {
        let result = try runSessionSync(["status", "--config", "/nonexistent/config.json"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/config.json"))
        #expect(result.stderr.contains("does not exist"))
    }

    /// A config around one disabled source (a probe skips it), whose archive is `database`, with
    /// the PostgreSQL password from `$PG_PASSWORD`.
    static func postgresConfig(database: String) -> String {
        #"{"database": "\#(database)", "databasePassword": {"env": "PG_PASSWORD"}, "sources": [\#(openreplay), "enabled": false}]}"#
    }

    @Test("check-config --probe connects to a PostgreSQL archive and says so, never showing the password")
    func probesPostgres() async throws {
        try await withTemporaryPostgresDatabase { database in
            try withTemporaryDirectory { directory in
                let url = "\(database.location)"
                let file = try writeFile("config.json", Self.postgresConfig(database: url), in: directory)
                let canary = "pg-Canary-4711"
                for probe in [false, true] {
                    let result = try runSessionSync(
                        ["check-config", "--config", file] + (probe ? ["--probe"] : []),
                        environment: ["OR_KEY": "k", "PG_PASSWORD": canary])
                    #expect(result.status == 0, "probe \(probe): exit \(result.status), stderr: \(result.stderr)")
                    #expect(result.stdout.contains("archive \(url)"), "\(result.stdout)")
                    #expect(result.stdout.contains("the other commands do not support it yet"), "\(result.stdout)")
                    #expect(result.stdout.contains("probe database: PostgreSQL") == probe, "\(result.stdout)")
                    #expect(!result.stdout.contains(canary) && !result.stderr.contains(canary))
                }
                let probed = try runSessionSync(
                    ["check-config", "--config", file, "--probe"], environment: ["OR_KEY": "k", "PG_PASSWORD": canary])
                #expect(
                    probed.stdout.contains(
                        "at \(database.location.endpoint), database \(database.location.database) as "
                            + "\(database.location.user) (sslmode=disable): not migrated yet"), "\(probed.stdout)")
            }
        }
    }

    @Test("check-config --probe of a PostgreSQL database that does not exist exits 78 and says how to create it")
    func probesMissingPostgresDatabase() async throws {
        let server = try await TestPostgres.server()
        try withTemporaryDirectory { directory in
            let missing = server.with(database: "no_such_archive")
            let file = try writeFile("config.json", Self.postgresConfig(database: "\(missing)"), in: directory)
            let result = try runSessionSync(
                ["check-config", "--config", file, "--probe"], environment: ["OR_KEY": "k", "PG_PASSWORD": "pw"])
            #expect(result.status == 78, "exit \(result.status), stderr: \(result.stderr)")
            #expect(result.stderr.contains("has no database no_such_archive: create it"), "\(result.stderr)")
        }
    }

    @Test("check-config --probe of a PostgreSQL server nobody listens at exits 1")
    func probesUnreachablePostgres() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile(
                "config.json", Self.postgresConfig(database: "postgres://sync@127.0.0.1:1/archive"), in: directory)
            let result = try runSessionSync(
                ["check-config", "--config", file, "--probe"], environment: ["OR_KEY": "k", "PG_PASSWORD": "pw"])
            #expect(result.status == 1, "exit \(result.status), stderr: \(result.stderr)")
            #expect(result.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(result.stderr)")
        }
    }

    /// Every command but check-config, as it would run against the config's archive.
    static let archiveCommands: [[String]] = [
        ["renormalize"],
        ["renormalize", "--source", "or"],
    ]

    @Test("the other commands refuse a PostgreSQL archive with exit 78, and touch nothing", arguments: archiveCommands)
    func otherCommandsRefusePostgres(command: [String]) throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile(
                "config.json", Self.postgresConfig(database: "postgres://sync@db.example.com/archive"), in: directory)
            let sqliteConfig = try writeFile("sqlite.json", Self.config(sources: Self.openreplay + "}"), in: directory)
            let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            let name = command[0]
            for arguments in [
                command + ["--config", file],
                command + ["--config", sqliteConfig, "--database", "postgresql://sync@[::1]:5433/archive"],
            ] {
                let result = try runSessionSync(
                    arguments, environment: ["OR_KEY": "k", "PG_PASSWORD": "pw"], directory: directory)
                #expect(result.status == 78, "\(arguments): exit \(result.status), stderr: \(result.stderr)")
                #expect(
                    result.stderr.contains("is a PostgreSQL database, which `\(name)` does not support yet"),
                    "\(arguments): \(result.stderr)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before)
        }
    }

    @Test("config.example.json shows every key and passes check-config once its secrets are set")
    func exampleConfigIsValid() throws {
        try withTemporaryDirectory { directory in
            var text = try String(contentsOfFile: packageRoot + "/config.example.json", encoding: .utf8)
            // The example's key file lives where systemd would put it; the test puts it in its own folder.
            let keyFile = try writeFile("isnotai.key", "aik_v1_example\n", in: directory)
            text = text.replacingOccurrences(of: "/run/credentials/sessionsync.service/isnotai", with: keyFile)
            let credentials = directory + "/credentials"
            try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
            try "cf-token".write(toFile: credentials + "/cloudflare", atomically: true, encoding: .utf8)
            let file = try writeFile("config.json", text, in: directory)
            let result = try runSessionSync(
                ["check-config", "--config", file],
                environment: [
                    "OPENREPLAY_API_KEY": "or-key", "YOURGPT_API_KEY": "ygpt-key", "CREDENTIALS_DIRECTORY": credentials,
                ]
            )
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("valid, 4 source(s)"))
            // The secrets are never printed.
            for secret in ["or-key", "ygpt-key", "cf-token", "aik_v1_example"] {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
            }
            // Every documented key appears in the example.
            for key in [
                "database", "logLevel", "sources", "name", "provider", "enabled", "schedule", "every", "cron", "jitter",
                "baseURL",
                "apiStyle", "projectKey", "apiKey", "filters", "userId", "pageSize", "rateLimit", "requests", "per",
                "maxConcurrentRequests", "timeout", "retries", "maxResponseBytes", "discover", "sessionIds",
                "maxDetailAttempts",
                "since", "lookback", "accountId", "appId", "apiToken", "participants", "chat", "transcripts",
                "messages", "filter",
                "viewId", "allowInsecureHTTP", "env", "file", "credential", "retention", "metrics", "listen",
                "allowRemote",
            ] {
                #expect(text.contains("\"\(key)\""), "config.example.json does not show \(key)")
            }
        }
    }
}
