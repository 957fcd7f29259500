import Foundation
import SessionSyncTesting
import SyncEngine
import Testing

@Suite("Secrets are read without surrounding whitespace, and the config's redactor knows every one")
struct SecretTests {
    static func load(token: String, variables: [String: String] = [:]) throws(ConfigError) -> Configuration {
        let text = #"""
            {"database": "/nonexistent/archive.sqlite", "sources": [
              {"name": "a", "provider": "items", "baseURL": "http://127.0.0.1:9", "token": \#(token)},
              {"name": "b", "provider": "items", "baseURL": "http://127.0.0.1:9", "enabled": false, "token": {"env": "OTHER"}}
            ]}
            """#
        let loader = ConfigurationLoader(
            registry: ItemsProvider.registry,
            environment: SecretEnvironment(variables: variables.merging(["OTHER": "other-key-2"]) { $1 })
        )
        return try loader.parse(bytes: Array(text.utf8), file: "(test)")
    }

    @Test(
        "environment values lose surrounding spaces, tabs and line ends",
        arguments: ["key-1\n", "key-1\r\n", "  key-1\t", "\nkey-1\n\n"]
    )
    func environment(value: String) throws {
        let configuration = try Self.load(token: #"{"env": "TOKEN"}"#, variables: ["TOKEN": value])
        #expect(configuration.sources[0].secrets.map { $0.reveal() } == ["key-1"])
    }

    @Test("file values lose them too")
    func file() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/secret"
            try " key-1\r\n".write(toFile: path, atomically: true, encoding: .utf8)
            let configuration = try Self.load(token: #"{"file": "\#(path)"}"#)
            #expect(configuration.sources[0].secrets.map { $0.reveal() } == ["key-1"])
        }
    }

    @Test("a plain string in the config loses them too, with the usual warning")
    func plain() throws {
        let configuration = try Self.load(token: #"" key-1\n""#)
        #expect(configuration.sources[0].secrets.map { $0.reveal() } == ["key-1"])
        #expect(configuration.warnings.map(\.path) == ["sources[0].token"])
    }

    @Test(
        "a value that is blank, or has a line break inside, is a problem naming where it came from",
        arguments: [
            (" \n", "environment variable TOKEN is empty"),
            ("key\n-1", "environment variable TOKEN contains a line break"),
        ]
    )
    func unusable(value: String, message: String) {
        #expect {
            try Self.load(token: #"{"env": "TOKEN"}"#, variables: ["TOKEN": value])
        } throws: { error in
            (error as? ConfigError)?.problems.contains {
                $0.path == "sources[0].token" && $0.message.hasPrefix(message)
            } == true
        }
    }

    @Test("the config's redactor masks every source's secret, disabled sources included")
    func redactor() throws {
        let configuration = try Self.load(token: #"{"env": "TOKEN"}"#, variables: ["TOKEN": "key-1\n"])
        #expect(configuration.redactor.redact("key-1 other-key-2") == "[redacted] [redacted]")
    }
}
