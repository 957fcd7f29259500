import PostgresArchive
import PostgresNIO
import Testing

@Suite("postgres:// URLs: what the config's database may say, and what it may not")
struct PostgresLocationTests {
    /// (URL, user, host, port, database, sslmode)
    static let good: [(String, String, String, Int, String, PostgresSSLMode)] = [
        (
            "postgres://sync@db.example.com:5433/archive?sslmode=require", "sync", "db.example.com", 5433, "archive",
            .require
        ),
        ("postgresql://sync@db.example.com/archive", "sync", "db.example.com", 5432, "archive", .verifyFull),
        ("POSTGRES://sync@10.0.0.7/archive?sslmode=disable", "sync", "10.0.0.7", 5432, "archive", .disable),
        ("postgres://sync@127.0.0.1:54321/archive", "sync", "127.0.0.1", 54321, "archive", .disable),
        ("postgres://sync@localhost/archive", "sync", "localhost", 5432, "archive", .disable),
        ("postgres://sync@[::1]:6543/archive", "sync", "::1", 6543, "archive", .disable),
        (
            "postgres://sync@[2001:db8::5]/archive?sslmode=verify-full", "sync", "2001:db8::5", 5432, "archive",
            .verifyFull
        ),
        (
            "postgres://ops%40example.com@db.example.com/sessions%2Fprod", "ops@example.com", "db.example.com", 5432,
            "sessions/prod", .verifyFull
        ),
        (
            "postgres://s%C3%A9ance@db.example.com/caf%C3%A9?sslmode=require&", "séance", "db.example.com", 5432,
            "café",
            .require
        ),
    ]

    @Test("well-formed URLs are read, percent-decoded, with defaults for port and sslmode", arguments: good)
    func goodURL(url: String, user: String, host: String, port: Int, database: String, sslMode: PostgresSSLMode) throws
    {
        let location = try PostgresLocation.parse(url).get()
        #expect(location.user == user)
        #expect(location.host == host)
        #expect(location.port == port)
        #expect(location.database == database)
        #expect(location.sslMode == sslMode)
        // The URL written out reads back as the same place.
        #expect(try PostgresLocation.parse(location.description).get() == location)
    }

    /// (URL, a fragment the message must hold)
    static let bad: [(String, String)] = [
        ("postgres://sync:s3cr3t-pw@db.example.com/archive", "databasePassword"),
        ("postgres://sync:s3cr3t/pw@db.example.com/archive", "databasePassword"),
        ("postgres://sync:s3cr3t@pw@db.example.com:5432/archive", "databasePassword"),
        ("postgres://sync:@db.example.com/archive", "databasePassword"),
        ("postgres://sync@db.example.com/archive?password=s3cr3t-pw", "databasePassword"),
        ("postgres://sync@db.example.com/archive?s3cr3t-pw", "a parameter, which sessionsync does not know"),
        ("postgres://sync@db.example.com/archive?sslmode=prefer", "falls back to clear text"),
        ("postgres://sync@db.example.com/archive?sslmode=allow", "falls back to clear text"),
        ("postgres://sync@db.example.com/archive?sslmode=verify-ca", "use verify-full"),
        (
            "postgres://sync@db.example.com/archive?sslmode=on",
            "sslmode=on, which is not one of disable, require, verify-full"
        ),
        ("postgres://sync@db.example.com/archive?sslmode=require&sslmode=disable", "names sslmode twice"),
        ("postgres://sync@db.example.com/archive?connect_timeout=5", #"the parameter "connect_timeout""#),
        ("postgres://db.example.com/archive", "names no user"),
        ("postgres://@db.example.com/archive", "names no user"),
        ("postgres://sync@db.example.com", "names no database"),
        ("postgres://sync@db.example.com/", "names no database"),
        ("postgres://sync@db.example.com/a/b", "%2F"),
        ("postgres://sync@/archive", "names no host"),
        ("postgres://sync@db1.example.com,db2.example.com/archive", "several hosts"),
        ("postgres://sync@::1/archive", "outside brackets"),
        ("postgres://sync@[::1/archive", "without its ']'"),
        ("postgres://sync@[db.example.com]/archive", "not an IPv6 address"),
        ("postgres://sync@db.example.com:0/archive", "not a number from 1 to 65535"),
        ("postgres://sync@db.example.com:65536/archive", "not a number from 1 to 65535"),
        ("postgres://sync@db.example.com:/archive", "not a number from 1 to 65535"),
        ("postgres://sync@db.example.com:54x/archive", "not a number from 1 to 65535"),
        ("postgres://sync@db.example.com/arch%2", "two hex digits"),
        ("postgres://sync@db.example.com/arch%FF", "not UTF-8"),
        ("postgres://sync@db.example.com/arch ive", "percent-encode"),
        ("postgres://sync@db.example.com/archive#x", "#fragment"),
        ("mysql://sync@db.example.com/archive", "is a mysql:// URL, not a PostgreSQL one"),
    ]

    @Test("a malformed URL is refused with what to write instead, never quoting a password", arguments: bad)
    func badURL(url: String, fragment: String) {
        switch PostgresLocation.parse(url) {
        case .success(let location):
            Issue.record("\(url) was read as \(location)")
        case .failure(let error):
            #expect(error.message.contains(fragment), "\(url): \(error.message)")
            #expect(!error.message.contains("s3cr3t"), "\(url): the message quotes the password: \(error.message)")
            #expect(!error.message.contains("pw"), "\(url): the message quotes part of the password: \(error.message)")
        }
    }

    @Test("a text is a URL when it starts with a scheme and ://; a file path is not")
    func urlOrPath() {
        #expect(PostgresLocation.isURL("postgres://a@b/c"))
        #expect(PostgresLocation.isURL("sqlite://archive.sqlite"))
        #expect(!PostgresLocation.isURL("/var/lib/sessionsync/sessions.sqlite"))
        #expect(!PostgresLocation.isURL("archive.sqlite"))
        #expect(!PostgresLocation.isURL("./odd://name.sqlite"))
    }

    @Test(
        "loopback hosts are told apart from the others",
        arguments: [
            ("localhost", true), ("LOCALHOST", true), ("127.0.0.1", true), ("127.9.8.7", true), ("::1", true),
            ("::ffff:127.0.0.1", true), ("10.0.0.1", false), ("db.example.com", false), ("2001:db8::1", false),
            ("::", false),
        ])
    func loopback(host: String, isLoopback: Bool) {
        let location = PostgresLocation(user: "u", host: host, database: "d", sslMode: .disable)
        #expect(location.isLoopback == isLoopback)
    }

    @Test("the client configuration carries the URL's parts and TLS as sslmode says")
    func clientConfiguration() throws {
        let location = try PostgresLocation.parse("postgres://sync@db.example.com:5433/archive?sslmode=require").get()
        let configuration = location.clientConfiguration(password: "pw")
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 5433)
        #expect(configuration.username == "sync")
        #expect(configuration.password == "pw")
        #expect(configuration.database == "archive")
        for mode in PostgresSSLMode.allCases {
            let connection = try location.with(database: "x").withSSLMode(mode).connectionConfiguration(password: nil)
            #expect(connection.tls.isEnforced == (mode != .disable), "sslmode=\(mode.rawValue)")
            #expect(connection.tls.isAllowed == (mode != .disable), "sslmode=\(mode.rawValue)")
        }
    }
}

extension PostgresLocation {
    fileprivate func withSSLMode(_ mode: PostgresSSLMode) -> PostgresLocation {
        PostgresLocation(user: user, host: host, port: port, database: database, sslMode: mode)
    }
}
