/// The providers a binary knows, by name.
public struct ProviderRegistry: Sendable {
    public let descriptors: [ProviderDescriptor]

    public init(_ descriptors: [ProviderDescriptor]) {
        self.descriptors = descriptors
    }

    public subscript(name: String) -> ProviderDescriptor? {
        descriptors.first { $0.name == name }
    }

    public var names: [String] {
        descriptors.map(\.name)
    }
}
