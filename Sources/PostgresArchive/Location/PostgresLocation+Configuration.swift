import PostgresNIO

extension PostgresLocation {
    /// The configuration of a `PostgresClient`, the pool every archive operation goes through,
    /// with TLS as ``sslMode`` says and `password` from the `databasePassword` secret (nil: none
    /// is sent, for trust or peer authentication).
    public func clientConfiguration(password: String?) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .require: .require(Self.unverifiedTLS)
            case .verifyFull: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = Self.maximumConnections
        return configuration
    }

    /// The most connections one process opens. A source's pass mostly holds one at a time (its
    /// commits take turns; a heartbeat or a queue read may overlap one), so ten serve a few
    /// sources at once, where postgres-nio's default (20) per instance would spend a small
    /// server's `max_connections` (100 by default) on a few instances. Beyond ten, work waits
    /// for a free connection instead of failing.
    public static let maximumConnections = 10

    /// The configuration of one connection outside a pool, for `check-config --probe`: a probe
    /// wants the first attempt's own error at once, where a pool retries with backoff.
    public func connectionConfiguration(password: String?) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .require: .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
            case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// `sslmode=require` as libpq means it without a root certificate: encrypted, any certificate.
    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}
