/// What the engine knows about a provider without knowing its type: its name, defaults, how to
/// read its settings, and how to make a connector for a configured source.
public struct ProviderDescriptor: Sendable {
    public let name: String
    public let defaults: ProviderDefaults
    let readSettings: @Sendable (ConfigObjectReader) -> (any ProviderSettings)?

    public init(
        name: String,
        defaults: ProviderDefaults,
        readSettings: @escaping @Sendable (ConfigObjectReader) -> (any ProviderSettings)?
    ) {
        self.name = name
        self.defaults = defaults
        self.readSettings = readSettings
    }
}
