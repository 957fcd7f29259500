import SessionSyncSupport
import Simulators

/// Answers from bytes rendered before the first request, so that the benchmark measures the
/// client, not the server: each request costs a dictionary lookup.
final class PrerenderedAPI: SimulatedAPI {
    private let workload: Workload
    /// Listing pages by number (1-based) or cursor.
    private let pages: [String: [UInt8]]
    /// Per-session answers (participants, details) by session id.
    private let perSession: [String: [UInt8]]
    private let empty: [UInt8]

    init(workload: Workload, sessions count: Int) {
        self.workload = workload
        var pages: [String: [UInt8]] = [:]
        var perSession: [String: [UInt8]] = [:]
        let pageCount = (count + Workload.pageSize - 1) / Workload.pageSize
        switch workload {
        case .listOnly:
            // Newest last message first, as YourGPT lists with orderBy DESC.
            for page in 0..<pageCount {
                let indices = (page * Workload.pageSize..<min(count, (page + 1) * Workload.pageSize)).map { count - 1 - $0 }
                pages["\(page + 1)"] = JSONOutput.object([
                    ("type", .string("RXSUCCESS")), ("message", .string("Sessions fetched")),
                    ("data", .array(indices.map { Renderer.yourgptSession($0, of: count) })),
                ]).bytes
            }
            empty = JSONOutput.object([("type", .string("RXSUCCESS")), ("message", .string("Sessions fetched")), ("data", .array([]))]).bytes
        case .fanOut:
            for page in 0..<pageCount {
                let range = page * Workload.pageSize..<min(count, (page + 1) * Workload.pageSize)
                pages["\(page + 1)"] = JSONOutput.object([
                    ("success", .bool(true)),
                    ("data", .object([("sessions", .array(range.map { Renderer.realtimekitSession($0, of: count) }))])),
                    ("paging", .object([("total_count", .int(Int64(count))), ("start_offset", .int(Int64(range.lowerBound + 1))), ("end_offset", .int(Int64(range.upperBound)))])),
                ]).bytes
            }
            for index in 0..<count {
                perSession[Renderer.realtimekitID(index)] = Renderer.participants(of: index)
            }
            empty = JSONOutput.object([("success", .bool(true)), ("data", .object([("sessions", .array([]))]))]).bytes
        case .detail:
            for page in 0..<pageCount {
                let range = page * Workload.pageSize..<min(count, (page + 1) * Workload.pageSize)
                let more = page + 1 < pageCount
                pages[page == 0 ? "" : "c\(page + 1)"] = JSONOutput.object([
                    ("data", .array(range.map { Renderer.isnotaiSession($0, of: count) })),
                    ("pagination", .object([("nextCursor", more ? .string("c\(page + 2)") : .null), ("hasMore", .bool(more)), ("limit", .int(100))])),
                ]).bytes
            }
            for index in 0..<count {
                perSession[Renderer.isnotaiID(index)] = Renderer.details(of: index, of: count)
            }
            empty = JSONOutput.object([
                ("data", .array([])), ("pagination", .object([("nextCursor", .null), ("hasMore", .bool(false)), ("limit", .int(100))])),
            ]).bytes
        }
        self.pages = pages
        self.perSession = perSession
    }

    func respond(to request: SimulatedRequest) -> SimulatedResponse {
        let headers = [("Content-Type", "application/json"), ("x-isnotai-tier", "enterprise")]
        switch workload {
        case .listOnly:
            let page = request.json?.root["page"]?.int ?? 1
            return SimulatedResponse(status: 200, headers: headers, body: pages["\(page)"] ?? empty)
        case .fanOut:
            let segments = request.segments
            if segments.last == "participants", segments.count >= 2, let body = perSession[segments[segments.count - 2]] {
                return SimulatedResponse(status: 200, headers: headers, body: body)
            }
            return SimulatedResponse(status: 200, headers: headers, body: pages[request.query("page_no") ?? "1"] ?? empty)
        case .detail:
            let segments = request.segments
            if segments.last == "details", segments.count >= 2, let body = perSession[segments[segments.count - 2]] {
                return SimulatedResponse(status: 200, headers: headers, body: body)
            }
            // Only closed sessions exist: a listing of active ones is empty.
            if request.query("status") == "active" {
                return SimulatedResponse(status: 200, headers: headers, body: empty)
            }
            return SimulatedResponse(status: 200, headers: headers, body: pages[request.query("cursor") ?? ""] ?? empty)
        }
    }
}
