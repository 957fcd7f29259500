import Foundation

/// The ``SecretRedactor`` every ``LineLogHandler`` of the process applies. The handlers exist
/// before the config is read, and a reload brings new secrets, so it can be widened while running.
/// Sendable because `current` is only read or written while holding `lock`.
public final class ProcessRedactor: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var current: SecretRedactor

    public init(_ redactor: SecretRedactor = SecretRedactor()) {
        current = redactor
    }

    public var redactor: SecretRedactor {
        lock.withLock { current }
    }

    /// Also masks what `redactor` masks; secrets already known stay masked, since a pass that
    /// started under the old config may still log them.
    public func include(_ redactor: SecretRedactor) {
        lock.withLock { current = current.adding(redactor) }
    }
}
