import PostgresNIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why sessionsync could not use a PostgreSQL server, in a sentence for the operator: what
/// failed, at which server, and what to look at.
///
/// postgres-nio's `PSQLError` describes itself only as "Generic description to prevent
/// accidental leakage of sensitive data", and its debug form lists the query and its bound
/// values. This reads its code, the server's SQLSTATE and message, and the connection error
/// under it instead. No text here ever holds the password: none of those carries it.
public struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nothing answered at the host and port (refused, no route, timeout, a name that does
        /// not resolve), or the server could not take a connection now.
        case unreachable
        /// The server refused the user: wrong or missing password, no such role, no pg_hba.conf entry.
        case authentication
        /// The URL's database does not exist on the server.
        case databaseMissing
        /// TLS could not be set up as `sslmode` asks.
        case tls
        /// Anything else the server or the connection said.
        case other
    }

    public let kind: Kind
    public let message: String

    public var description: String {
        message
    }

    /// Whether the config (the URL, `databasePassword`) or the server's set-up for this user
    /// must change: retrying will not help. An unreachable server may come back.
    public var isConfigProblem: Bool {
        kind != .unreachable && kind != .other
    }

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// What `error`, met while connecting to `location` (with a password or without), means.
    public init(_ error: any Error, location: PostgresLocation, passwordGiven: Bool) {
        let server = "PostgreSQL at \(location.endpoint)"
        guard let error = error as? PSQLError else {
            self.init(kind: .other, message: "\(server): \(error)")
            return
        }
        switch error.code {
        case .server:
            self.init(serverError: error, location: location, passwordGiven: passwordGiven)
        case .connectionError:
            self.init(connectionError: error.underlying, location: location)
        case .authMechanismRequiresPassword:
            self.init(
                kind: .authentication,
                message:
                    "\(server) asks for a password for user \(location.user), and the config gives none: "
                    + "set \"databasePassword\" ({\"env\": NAME}, {\"file\": PATH} or {\"credential\": NAME})")
        case .sslUnsupported:
            self.init(
                kind: .tls,
                message:
                    "\(server) does not accept TLS, which sslmode=\(location.sslMode.rawValue) requires: turn ssl on "
                    + "in the server's postgresql.conf, or use sslmode=disable on loopback or a network you trust")
        case .failedToAddSSLHandler:
            self.init(
                kind: .tls,
                message:
                    "TLS with \(server) could not be set up: \(error.underlying.map { "\($0)" } ?? "no reason given")")
        case .unsupportedAuthMechanism:
            self.init(
                kind: .authentication,
                message:
                    "\(server) asks user \(location.user) for an authentication method sessionsync cannot use "
                    + "(Kerberos, GSSAPI, SSPI or a SASL mechanism other than SCRAM-SHA-256): allow scram-sha-256 "
                    + "or md5 for it in pg_hba.conf")
        case .saslError:
            self.init(
                kind: .authentication,
                message:
                    "SCRAM authentication of user \(location.user) with \(server) failed: "
                    + "\(error.underlying.map { "\($0)" } ?? "no reason given")")
        case .serverClosedConnection, .uncleanShutdown:
            self.init(
                kind: .unreachable,
                message:
                    "\(server) closed the connection before it was ready (is it PostgreSQL, shutting down, "
                    + "or out of connections?)")
        default:
            self.init(kind: .other, message: "\(server): the connection failed (\(error.code))")
        }
    }

    private init(serverError error: PSQLError, location: PostgresLocation, passwordGiven: Bool) {
        let server = "PostgreSQL at \(location.endpoint)"
        let said = Self.serverText(of: error)
        switch error.serverInfo?[.sqlState] ?? "" {
        case "28P01":
            self.init(
                kind: .authentication,
                message: passwordGiven
                    ? "\(server) refused the password of user \(location.user): check the secret \"databasePassword\" "
                        + "and the role's password (\(said))"
                    : "\(server) asks for a password for user \(location.user), and the config gives none: "
                        + "set \"databasePassword\" (\(said))")
        case "28000":
            self.init(
                kind: .authentication,
                message:
                    "\(server) refused user \(location.user): \(said); the role must exist and pg_hba.conf must let it "
                    + "connect to \(location.database) from this host")
        case "3D000":
            self.init(
                kind: .databaseMissing,
                message:
                    "\(server) has no database \(location.database): create it (createdb --owner=\(location.user) "
                    + "\(location.database)), or fix the database in the URL (\(said))")
        case "42501":
            self.init(
                kind: .authentication,
                message:
                    "user \(location.user) may not connect to database \(location.database) on \(location.endpoint): "
                    + "\(said); GRANT CONNECT ON DATABASE \(location.database) TO \(location.user)")
        case "57P03", "53300", "53000", "57P01":
            self.init(kind: .unreachable, message: "\(server) cannot take a connection now: \(said)")
        default:
            self.init(kind: .other, message: "\(server): \(said)")
        }
    }

    private init(connectionError underlying: (any Error)?, location: PostgresLocation) {
        let server = "PostgreSQL at \(location.endpoint)"
        if case .connectTimeout(let limit) = underlying as? ChannelError {
            self.init(
                kind: .unreachable,
                message:
                    "\(server) did not answer within \(limit.nanoseconds / 1_000_000_000) seconds: a firewall, "
                    + "or the wrong host or port?")
            return
        }
        if let connection = underlying as? NIOConnectionError {
            if connection.connectionErrors.isEmpty && (connection.dnsAError != nil || connection.dnsAAAAError != nil) {
                self.init(
                    kind: .unreachable,
                    message: "cannot resolve the host name \(location.host): check the host in the URL (and DNS)")
                return
            }
            if let io = connection.connectionErrors.first?.error as? IOError {
                self.init(ioError: io, location: location)
                return
            }
        }
        if let io = underlying as? IOError {
            self.init(ioError: io, location: location)
            return
        }
        if let underlying, Self.isTLSError(underlying) {
            self.init(
                kind: .tls,
                message:
                    "TLS with \(server) failed (sslmode=\(location.sslMode.rawValue)): \(underlying); with "
                    + "verify-full the server's certificate must be trusted by this machine and name \(location.host)")
            return
        }
        self.init(
            kind: .unreachable,
            message: "cannot connect to \(server): \(underlying.map { "\($0)" } ?? "no reason given")")
    }

    private init(ioError: IOError, location: PostgresLocation) {
        let server = "PostgreSQL at \(location.endpoint)"
        let reason = String(cString: strerror(ioError.errnoCode)).lowercased()
        let hint =
            ioError.errnoCode == ECONNREFUSED
            ? ": is the server running, and listening on that address (listen_addresses, port)?" : ""
        self.init(kind: .unreachable, message: "cannot connect to \(server): \(reason)\(hint)")
    }

    private static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// What the server said about `error`, for people: its message, detail and hint, and the
    /// SQLSTATE; the error's own code when the server said nothing.
    public static func serverText(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        guard let info = error.serverInfo, let message = info[.message] else {
            return switch error.code {
            case .serverClosedConnection, .uncleanShutdown: "the server closed the connection"
            case .clientClosedConnection: "the connection was closed"
            case .connectionError: "the connection failed: \(error.underlying.map { "\($0)" } ?? "no reason given")"
            case .queryCancelled: "the query was cancelled"
            default: "the connection failed (postgres-nio: \(error.code))"
            }
        }
        var text = message
        if let detail = info[.detail] { text += "; \(detail)" }
        if let hint = info[.hint] { text += "; hint: \(hint)" }
        if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
        return text
    }
}
