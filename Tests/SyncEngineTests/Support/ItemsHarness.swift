import SessionSyncTesting

extension ProviderHarness {
    /// The items test connector against an ``ItemsSimulator`` of `count` items, for `body`; the
    /// harness, writing to `archive`, is shut down when `body` returns or throws.
    @discardableResult
    static func withItems<T>(
        count: Int = 35, pageSize: Int = 10, extra: String = "", archive: ArchiveChoice = .sqlite,
        _ body: (ProviderHarness, ItemsSimulator) async throws -> T
    ) async throws -> T {
        let simulator = ItemsSimulator(count: count)
        return try await withProviderHarness(
            api: simulator,
            source: #""provider": "items", "token": {"env": "ITEMS_TOKEN"}, "pageSize": \#(pageSize)\#(extra)"#,
            secrets: ["ITEMS_TOKEN": ItemsSimulator.token],
            registry: ItemsProvider.registry,
            archive: archive
        ) { harness in
            try await body(harness, simulator)
        }
    }
}
