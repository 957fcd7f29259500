import Foundation
import Providers
import SessionSyncSupport
import Simulators
import SyncEngine

/// The bundled simulators of the four APIs on 127.0.0.1, and a config that points at them.
struct DemoEnvironment {
    let servers: [SimulatorServer]
    let configuration: Configuration

    /// Each simulated API's demo key; handed to the config loader as environment variables, never written anywhere.
    static let keys = [
        "DEMO_OPENREPLAY_KEY": "demo-openreplay-key",
        "DEMO_ISNOTAI_KEY": "aik_v1_ZGVtby1rZXktZm9yLXRoZS1zaW11bGF0b3ItMDAwMDAwMA",
        "DEMO_REALTIMEKIT_TOKEN": "demo-realtimekit-token",
        "DEMO_YOURGPT_KEY": "demo-yourgpt-key",
    ]

    static func start(database: String) async throws -> DemoEnvironment {
        var servers: [SimulatorServer] = []
        var sources: [String] = []

        var openreplay = OpenReplaySimulator.Options()
        openreplay.apiKey = keys["DEMO_OPENREPLAY_KEY"]!
        openreplay.activityEvery = .seconds(2)
        let openreplayServer = try await SimulatorServer(api: OpenReplaySimulator(options: openreplay))
        servers.append(openreplayServer)
        sources.append(
            #"{"name": "web-live", "provider": "openreplay", "baseURL": "\#(openreplayServer.baseURL)", "projectKey": "\#(openreplay.projectKey)", "apiKey": {"env": "DEMO_OPENREPLAY_KEY"}, "schedule": {"every": "10s"}}"#
        )

        var isnotai = IsNotAISimulator.Options()
        isnotai.apiKey = keys["DEMO_ISNOTAI_KEY"]!
        isnotai.activityEvery = .seconds(5)
        isnotai.shortestSession = .seconds(20)
        isnotai.longestSession = .seconds(120)
        let isnotaiServer = try await SimulatorServer(api: IsNotAISimulator(options: isnotai))
        servers.append(isnotaiServer)
        sources.append(
            #"{"name": "bot-detection", "provider": "isnotai", "baseURL": "\#(isnotaiServer.baseURL)", "apiKey": {"env": "DEMO_ISNOTAI_KEY"}, "schedule": {"every": "15s"}, "lookback": "2m", "rateLimit": {"requests": 600, "per": "1m"}}"#
        )

        var realtimekit = RealtimeKitSimulator.Options()
        realtimekit.apiToken = keys["DEMO_REALTIMEKIT_TOKEN"]!
        realtimekit.activityEvery = .seconds(20)
        realtimekit.exportDelay = .seconds(30)
        let realtimekitSimulator = RealtimeKitSimulator(options: realtimekit)
        // The export host must be up before the first download link is handed out.
        let exportServer = try await realtimekitSimulator.startExportServer()
        let realtimekitServer = try await SimulatorServer(api: realtimekitSimulator)
        servers += [realtimekitServer, exportServer]
        sources.append(
            #"{"name": "meetings", "provider": "realtimekit", "baseURL": "\#(realtimekitServer.baseURL)", "accountId": "\#(realtimekit.accountID)", "appId": "\#(realtimekit.appID)", "apiToken": {"env": "DEMO_REALTIMEKIT_TOKEN"}, "transcripts": true, "schedule": {"every": "15s"}, "lookback": "1m"}"#
        )

        var yourgpt = YourGPTSimulator.Options()
        yourgpt.apiKey = keys["DEMO_YOURGPT_KEY"]!
        yourgpt.activityEvery = .seconds(2)
        let yourgptServer = try await SimulatorServer(api: YourGPTSimulator(options: yourgpt))
        servers.append(yourgptServer)
        sources.append(
            #"{"name": "support-chat", "provider": "yourgpt", "baseURL": "\#(yourgptServer.baseURL)", "apiKey": {"env": "DEMO_YOURGPT_KEY"}, "messages": true, "schedule": {"every": "15s"}, "lookback": "1m"}"#
        )

        let text =
            #"{"database": "\#(database)", "logLevel": "notice", "sources": [\#(sources.joined(separator: ",\n"))]}"#
        let loader = ConfigurationLoader(
            registry: StandardProviders.registry, environment: SecretEnvironment(variables: keys))
        let configuration = try loader.parse(bytes: Array(text.utf8), file: "(demo)")
        return DemoEnvironment(servers: servers, configuration: configuration)
    }

    func shutdown() async {
        for server in servers { await server.shutdown() }
    }
}
