#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a PostgreSQL archive lives: the config's `database` when it is a URL,
/// `postgres://USER@HOST:PORT/DB?sslmode=MODE` (or `postgresql://`).
///
/// It holds no password: the URL may not carry one (a config file is read by more people and
/// tools than a secret should be); the password comes from the config's `databasePassword`
/// secret and is handed over only to build a connection's configuration.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// PostgreSQL's own default, used when the URL names no port.
    public static let defaultPort = 5432

    public let user: String
    /// A host name or IP address; an IPv6 address without its brackets (`::1`).
    public let host: String
    public let port: Int
    public let database: String
    public let sslMode: PostgresSSLMode

    public init(user: String, host: String, port: Int = Self.defaultPort, database: String, sslMode: PostgresSSLMode) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// The same server and user, another database (the tests' fresh databases, `CREATE DATABASE`).
    public func with(database: String) -> PostgresLocation {
        PostgresLocation(user: user, host: host, port: port, database: database, sslMode: sslMode)
    }

    /// Whether only this machine can be reached: `localhost`, 127.0.0.0/8, `::1` (or an
    /// IPv4-mapped 127 address). The default `sslmode` depends on it.
    public var isLoopback: Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { $0[0] == 127 }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { bytes in
            let one = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return one || (mapped && bytes[12] == 127)
        }
    }

    /// `host:port`, with an IPv6 address in brackets: what messages about the server name.
    public var endpoint: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// The URL written out in full (default port and sslmode included); never holds a secret.
    public var description: String {
        "postgres://\(Self.percentEncoded(user))@\(endpoint)/\(Self.percentEncoded(database))?sslmode=\(sslMode.rawValue)"
    }

    /// Leaves only RFC 3986's unreserved characters as they are, so that a name with `@`, `/`, `:`
    /// or `?` reads back as itself.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.isASCIILetterOrDigit || "-._~".unicodeScalars.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetterOrDigit: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
