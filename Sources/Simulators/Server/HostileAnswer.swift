import SessionSyncSupport
import Synchronization

/// The simulator's normal answer, made hostile in ways named by keys rather than by provider,
/// so that one description fits all four APIs: the value of every JSON member with a given name
/// (at any depth) replaced by raw JSON text, arrays with a given name reversed or with every
/// element sent twice, headers set, the status replaced, and pages that never end.
///
/// ```swift
/// server.faults.inject(FaultRule(times: nil, fault: .hostile(HostileAnswer(values: ["created_at": #""0000-01-01T00:00:00Z""#]))))
/// ```
public final class HostileAnswer: Sendable {
    /// Member name → the raw JSON text that replaces its value, wherever the name occurs.
    public let values: [String: String]
    /// Headers set on the answer, replacing any of the same name (case-insensitively).
    public let headers: [(String, String)]
    /// The status sent instead of the simulator's (e.g. 429 to go with a `Retry-After`).
    public let status: Int?
    /// Arrays (members with these names) sent in reverse order: a page that is not sorted.
    public let reversedArrays: Set<String>
    /// Arrays (members with these names) whose every element is sent twice: duplicate ids in one page.
    public let duplicatedArrays: Set<String>
    /// Query parameters and top-level JSON body members that choose a page (`page`, `cursor`):
    /// a request that differs from an earlier one only in these gets the earlier one's answer,
    /// so a full first page says forever that more follow.
    public let endlessPageParameters: Set<String>

    private let firstAnswers = Mutex<[String: SimulatedResponse]>([:])

    public init(
        values: [String: String] = [:], headers: [(String, String)] = [], status: Int? = nil,
        reversedArrays: Set<String> = [],
        duplicatedArrays: Set<String> = [], endlessPageParameters: Set<String> = []
    ) {
        self.values = values
        self.headers = headers
        self.status = status
        self.reversedArrays = reversedArrays
        self.duplicatedArrays = duplicatedArrays
        self.endlessPageParameters = endlessPageParameters
    }

    /// The hostile version of what `api` answers to `request`.
    func answer(_ request: SimulatedRequest, api: any SimulatedAPI) -> SimulatedResponse {
        var response: SimulatedResponse
        if endlessPageParameters.isEmpty {
            response = api.respond(to: request)
        } else {
            let identity = identity(of: request)
            if let first = firstAnswers.withLock({ $0[identity] }) {
                response = first
            } else {
                response = api.respond(to: request)
                firstAnswers.withLock { $0[identity] = $0[identity] ?? response }
            }
        }
        if let status { response.status = status }
        for (name, value) in headers {
            response.headers.removeAll { $0.0.lowercased() == name.lowercased() }
            response.headers.append((name, value))
        }
        response.body = rewrite(response.body)
        return response
    }

    /// `body` with the replacements applied; a body that is not JSON is sent as it is.
    func rewrite(_ body: [UInt8]) -> [UInt8] {
        guard !values.isEmpty || !reversedArrays.isEmpty || !duplicatedArrays.isEmpty,
            let document = try? JSONDocument(bytes: body)
        else {
            return body
        }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        write(document.root, to: &output)
        return output
    }

    private func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value.kind {
        case .object:
            output.append(UInt8(ascii: "{"))
            for (index, member) in value.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONOutput.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if let replacement = values[member.key] {
                    output.append(contentsOf: replacement.utf8)
                } else if member.value.kind == .array {
                    var elements = Array(member.value.elements)
                    if reversedArrays.contains(member.key) { elements.reverse() }
                    if duplicatedArrays.contains(member.key) { elements = elements.flatMap { [$0, $0] } }
                    writeArray(elements, to: &output)
                } else {
                    write(member.value, to: &output)
                }
            }
            output.append(UInt8(ascii: "}"))
        case .array:
            writeArray(Array(value.elements), to: &output)
        default:
            output.append(contentsOf: value.rawBytes)
        }
    }

    private func writeArray(_ elements: [JSONValue], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            write(element, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// The request without its page parameters: method, path, the other query items, the other
    /// top-level members of a JSON body (or the whole body when it is not a JSON object).
    private func identity(of request: SimulatedRequest) -> String {
        var parts = [request.method, request.path]
        for (name, value) in request.queryItems where !endlessPageParameters.contains(name) {
            parts.append("\(name)=\(value)")
        }
        if let body = request.json, body.root.kind == .object {
            for member in body.root.members where !endlessPageParameters.contains(member.key) {
                parts.append("\(member.key):\(member.value.rawText)")
            }
        } else {
            parts.append(String(decoding: request.body, as: UTF8.self))
        }
        return parts.joined(separator: "\n")
    }
}
