/// How the connection to PostgreSQL is encrypted: the URL's `sslmode`, with libpq's meanings for
/// the three modes sessionsync accepts.
public enum PostgresSSLMode: String, Sendable, CaseIterable {
    /// No TLS: for loopback, or a network the operator trusts.
    case disable
    /// TLS, without checking the server's certificate: encrypted, but open to a man in the middle.
    case require
    /// TLS, with the certificate checked against the system's trusted roots and the host name
    /// (or IP address) of the URL.
    case verifyFull = "verify-full"

    /// The accepted values, as they are written in a URL.
    public static var accepted: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
