import Synchronization

/// The ``SecretRedactor`` every ``LineLogHandler`` of the process applies. The handlers exist
/// before the config is read, and a reload brings new secrets, so it can be widened while running.
public final class ProcessRedactor: Sendable {
    private let current: Mutex<SecretRedactor>

    public init(_ redactor: SecretRedactor = SecretRedactor()) {
        current = Mutex(redactor)
    }

    public var redactor: SecretRedactor {
        current.withLock { $0 }
    }

    /// Also masks what `redactor` masks; secrets already known stay masked, since a pass that
    /// started under the old config may still log them.
    public func include(_ redactor: SecretRedactor) {
        current.withLock { $0 = $0.adding(redactor) }
    }
}
