import SyncEngine

/// The four providers this binary ships with.
public enum StandardProviders {
    public static let registry = ProviderRegistry([
        ProviderDescriptor(
            name: "openreplay",
            defaults: ProviderDefaults(
                baseURL: nil, schedule: .every(.seconds(30)), lookback: .zero, initialWindow: .zero,
                rateLimits: [RateLimit(requests: 10, per: .seconds(1))], maxConcurrentRequests: 1
            ),
            readSettings: { OpenReplaySettings.read($0) },
            makeProvider: { OpenReplayProvider(source: $0) }
        ),
        ProviderDescriptor(
            name: "isnotai",
            defaults: ProviderDefaults(
                baseURL: "https://api.isnotai.com", schedule: .every(.seconds(300)), lookback: .seconds(600),
                // An hour inside the free plan's 7-day history window: a start exactly at its edge
                // is already outside it when the request arrives, and the API answers nothing.
                initialWindow: .seconds(7 * 86_400 - 3_600), rateLimits: [RateLimit(requests: 60, per: .seconds(60))],
                maxConcurrentRequests: 4
            ),
            readSettings: { IsNotAISettings.read($0) },
            makeProvider: { IsNotAIProvider(source: $0) }
        ),
        ProviderDescriptor(
            name: "realtimekit",
            defaults: ProviderDefaults(
                baseURL: "https://api.cloudflare.com/client/v4", schedule: .every(.seconds(600)),
                lookback: .seconds(600),
                initialWindow: .seconds(30 * 86_400),
                rateLimits: [
                    RateLimit(requests: 200, per: .seconds(10)), RateLimit(requests: 1000, per: .seconds(300)),
                ],
                maxConcurrentRequests: 4
            ),
            readSettings: { RealtimeKitSettings.read($0) },
            makeProvider: { RealtimeKitProvider(source: $0) }
        ),
        ProviderDescriptor(
            name: "yourgpt",
            defaults: ProviderDefaults(
                baseURL: "https://api.yourgpt.ai", schedule: .every(.seconds(900)), lookback: .seconds(3600),
                initialWindow: .seconds(30 * 86_400), rateLimits: [RateLimit(requests: 10, per: .seconds(1))],
                maxConcurrentRequests: 4
            ),
            readSettings: { YourGPTSettings.read($0) },
            makeProvider: { YourGPTProvider(source: $0) }
        ),
    ])
}
