/// What the engine knows about a provider without knowing its type: its name, defaults, how to
/// read its settings, and how to make a connector for a configured source.
public struct ProviderDescriptor: Sendable {
    public let name: String
    public let defaults: ProviderDefaults
    let readSettings: @Sendable (ConfigObjectReader) -> (any ProviderSettings)?
    let makeProvider: @Sendable (SourceConfiguration) -> any Provider

    /// - Parameters:
    ///   - readSettings: reads the provider's own keys of a source object, recording problems.
    ///   - makeProvider: the connector for a source whose settings `readSettings` produced.
    public init(
        name: String,
        defaults: ProviderDefaults,
        readSettings: @escaping @Sendable (ConfigObjectReader) -> (any ProviderSettings)?,
        makeProvider: @escaping @Sendable (SourceConfiguration) -> any Provider
    ) {
        self.name = name
        self.defaults = defaults
        self.readSettings = readSettings
        self.makeProvider = makeProvider
    }

    /// The connector for `source`.
    public func provider(for source: SourceConfiguration) -> any Provider {
        makeProvider(source)
    }
}
