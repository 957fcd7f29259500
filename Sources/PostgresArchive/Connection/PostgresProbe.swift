import Logging
import PostgresNIO

/// `check-config --probe` for a PostgreSQL archive: one connection, authenticated as the config
/// says, asked for the server's version and the archive's schema version. It changes nothing.
public struct PostgresProbe: Sendable {
    /// What the server answered.
    public struct Answer: Sendable, Equatable {
        /// `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)".
        public let serverVersion: String
        /// The archive's schema version (0: never migrated).
        public let schemaVersion: Int
    }

    public let location: PostgresLocation
    let password: String?

    public init(location: PostgresLocation, password: String?) {
        self.location = location
        self.password = password
    }

    /// Connects, asks, and disconnects; a failure says why in an operator's words.
    public func run(logger: Logger) async -> Result<Answer, PostgresFailure> {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try location.connectionConfiguration(password: password)
        } catch {
            return .failure(PostgresFailure(kind: .tls, message: "TLS could not be set up on this machine: \(error)"))
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            return .failure(PostgresFailure(error, location: location, passwordGiven: password != nil))
        }
        let answer: Result<Answer, PostgresFailure>
        do {
            let rows = try await connection.query("SHOW server_version", logger: logger).decode(String.self)
            var version = ""
            for try await row in rows { version = row }
            let schema = try await PostgresMigrations.migrator().currentVersion(of: connection, logger: logger)
            answer = .success(Answer(serverVersion: version, schemaVersion: schema))
        } catch {
            answer = .failure(PostgresFailure(error, location: location, passwordGiven: password != nil))
        }
        try? await connection.close()
        return answer
    }
}
