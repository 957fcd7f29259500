/// A provider's own settings (the keys of a source object only that provider reads).
public protocol ProviderSettings: Sendable {}
