import SessionSyncTesting

extension ProviderHarness {
    /// The items test connector against an ``ItemsSimulator`` of `count` items.
    static func items(count: Int = 35, pageSize: Int = 10, extra: String = "") async throws -> (ProviderHarness, ItemsSimulator) {
        let simulator = ItemsSimulator(count: count)
        let harness = try await ProviderHarness(
            api: simulator,
            source: #""provider": "items", "token": {"env": "ITEMS_TOKEN"}, "pageSize": \#(pageSize)\#(extra)"#,
            secrets: ["ITEMS_TOKEN": ItemsSimulator.token],
            registry: ItemsProvider.registry
        )
        return (harness, simulator)
    }
}
