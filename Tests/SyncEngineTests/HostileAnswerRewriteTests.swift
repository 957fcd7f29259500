import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import Testing

/// The simulators' hostile-answer mode, seen over loopback HTTP as a client sees it.
@Suite("HostileAnswer: a simulator's answers made hostile by key names")
struct HostileAnswerRewriteTests {
    private struct Answer {
        let status: Int
        let headers: [(String, String)]
        let document: JSONDocument

        var ids: [String] {
            document.root["items"]?.elements.compactMap { $0["id"]?.string } ?? []
        }
    }

    private static func get(_ server: SimulatorServer, _ query: String) async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + "/items?" + query)
        request.headers.add(name: "Authorization", value: "Bearer \(ItemsSimulator.token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            document: try JSONDocument(bytes: Array(buffer: body))
        )
    }

    @Test("the value of every member with a replaced name becomes the given JSON text, at any depth")
    func values() async throws {
        try await withSimulatorServer(api: ItemsSimulator(count: 10)) { server in
            server.faults.inject(
                FaultRule(times: nil, fault: .hostile(HostileAnswer(values: ["created": "1e19", "more": "\"yes\""]))))
            let answer = try await Self.get(server, "page=1&per_page=3")
            #expect(answer.ids == ["item-0", "item-1", "item-2"])
            #expect(answer.document.root["items"]?.elements.map { $0["created"]?.rawText } == ["1e19", "1e19", "1e19"])
            #expect(answer.document.root["more"]?.string == "yes")
        }
    }

    @Test("named arrays are sent reversed, or with every element twice")
    func arrays() async throws {
        try await withSimulatorServer(api: ItemsSimulator(count: 10)) { server throws in
            server.faults.inject(FaultRule(times: 1, fault: .hostile(HostileAnswer(reversedArrays: ["items"]))))
            #expect(try await Self.get(server, "page=1&per_page=3").ids == ["item-2", "item-1", "item-0"])
            server.faults.inject(FaultRule(times: 1, fault: .hostile(HostileAnswer(duplicatedArrays: ["items"]))))
            #expect(try await Self.get(server, "page=1&per_page=2").ids == ["item-0", "item-0", "item-1", "item-1"])
            #expect(try await Self.get(server, "page=1&per_page=2").ids == ["item-0", "item-1"])
        }
    }

    @Test("headers are set, replacing any of the same name, and the status replaced")
    func headersAndStatus() async throws {
        try await withSimulatorServer(api: ItemsSimulator(count: 10)) { server in
            let hostile = HostileAnswer(
                headers: [("content-type", "text/plain"), ("Retry-After", "10000000000000000")], status: 429)
            server.faults.inject(FaultRule(times: nil, fault: .hostile(hostile)))
            let answer = try await Self.get(server, "page=1&per_page=1")
            #expect(answer.status == 429)
            #expect(answer.headers.filter { $0.0.lowercased() == "retry-after" }.map(\.1) == ["10000000000000000"])
            #expect(answer.headers.filter { $0.0.lowercased() == "content-type" }.map(\.1) == ["text/plain"])
            #expect(answer.ids == ["item-0"])
        }
    }

    @Test("endless pages: a request differing only in its page parameters gets the first such request's answer")
    func endlessPages() async throws {
        try await withSimulatorServer(api: ItemsSimulator(count: 10)) { server throws in
            server.faults.inject(FaultRule(times: nil, fault: .hostile(HostileAnswer(endlessPageParameters: ["page"]))))
            #expect(try await Self.get(server, "page=1&per_page=4").ids == ["item-0", "item-1", "item-2", "item-3"])
            #expect(try await Self.get(server, "page=3&per_page=4").ids == ["item-0", "item-1", "item-2", "item-3"])
            #expect(try await Self.get(server, "page=9&per_page=4").document.root["more"]?.bool == true)
            // Another page size is another request: answered afresh.
            #expect(try await Self.get(server, "page=2&per_page=3").ids == ["item-3", "item-4", "item-5"])
            server.faults.clear()
            #expect(try await Self.get(server, "page=3&per_page=4").ids == ["item-8", "item-9"])
        }
    }
}
