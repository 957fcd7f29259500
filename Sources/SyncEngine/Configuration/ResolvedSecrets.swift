/// Every secret the readers of one config resolved, in the order they were read.
///
/// ``ConfigObjectReader/secret(_:required:)`` records each one here, so the redactor learns every
/// value without a provider having to list its own (and without one forgetting to).
public final class ResolvedSecrets {
    public private(set) var all: [Secret] = []

    public init() {}

    /// Records `secret` and returns it.
    func record(_ secret: Secret) -> Secret {
        all.append(secret)
        return secret
    }
}
