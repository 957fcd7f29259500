import Foundation
import Providers
import SessionSyncSupport
import Simulators
import SyncEngine

/// The bundled simulators of the four APIs on 127.0.0.1, and a config that points at them.
struct DemoEnvironment {
    let servers: [SimulatorServer]
    let configuration: Configuration

    /// Each simulated API's demo key; passed to the loader as environment variables, never written anywhere.
    static let keys = [
        "DEMO_YOURGPT_KEY": "demo-yourgpt-key",
    ]

    static func start(database: String) async throws -> DemoEnvironment {
        var servers: [SimulatorServer] = []
        var sources: [String] = []

        var yourgptOptions = YourGPTSimulator.Options()
        yourgptOptions.apiKey = keys["DEMO_YOURGPT_KEY"]!
        yourgptOptions.activityEvery = .seconds(2)
        let yourgpt = try await SimulatorServer(api: YourGPTSimulator(options: yourgptOptions))
        servers.append(yourgpt)
        sources.append(
            #"{"name": "support-chat", "provider": "yourgpt", "baseURL": "\#(yourgpt.baseURL)", "apiKey": {"env": "DEMO_YOURGPT_KEY"}, "messages": true, "schedule": {"every": "15s"}, "lookback": "1m"}"#
        )

        let text = #"{"database": "\#(database)", "logLevel": "notice", "sources": [\#(sources.joined(separator: ",\n"))]}"#
        let loader = ConfigurationLoader(registry: StandardProviders.registry, environment: SecretEnvironment(variables: keys))
        let configuration = try loader.parse(bytes: Array(text.utf8), file: "(demo)")
        return DemoEnvironment(servers: servers, configuration: configuration)
    }

    func shutdown() async {
        for server in servers { await server.shutdown() }
    }
}
