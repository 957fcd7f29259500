import Foundation

/// Where secrets are looked up: the process environment and the file system. Tests pass their own.
public struct SecretEnvironment: Sendable {
    public var variables: [String: String]
    /// Whether `{env}`, `{file}` and `{credential}` are read now (run, sync, check-config) or
    /// only checked for form (status, migrate: commands that never send a request).
    public var resolve: Bool

    public init(variables: [String: String] = ProcessInfo.processInfo.environment, resolve: Bool = true) {
        self.variables = variables
        self.resolve = resolve
    }
}
