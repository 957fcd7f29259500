import SessionSyncSupport
import Simulators

/// Answers from bytes rendered before the first request, so that the benchmark measures the
/// client, not the server: each request costs a dictionary lookup.
final class PrerenderedAPI: SimulatedAPI {
    private let workload: Workload
    private let count: Int
    /// Each session's listing entry, rendered once; a page is these bytes joined.
    private let entries: [[UInt8]]
    /// Per-session answers (participants, details) by session id.
    private let perSession: [String: [UInt8]]

    init(workload: Workload, sessions count: Int) {
        self.workload = workload
        self.count = count
        var entries: [[UInt8]] = []
        var perSession: [String: [UInt8]] = [:]
        for index in 0..<count {
            switch workload {
            case .listOnly:
                entries.append(Renderer.yourgptSession(index, of: count).bytes)
            case .chat:
                entries.append(Renderer.yourgptSession(index, of: count).bytes)
                perSession["\(1_700_000_000 + index)"] = Renderer.messages(of: index, of: count)
            case .fanOut:
                entries.append(Renderer.realtimekitSession(index, of: count).bytes)
                perSession[Renderer.realtimekitID(index)] = Renderer.participants(of: index)
            case .detail:
                entries.append(Renderer.isnotaiSession(index, of: count).bytes)
                perSession[Renderer.isnotaiID(index)] = Renderer.details(of: index, of: count)
            }
        }
        self.entries = entries
        self.perSession = perSession
    }

    /// The first session created at or after `start`.
    private func firstIndex(from start: Timestamp?) -> Int {
        guard let start else { return 0 }
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if Workload.created(middle, of: count) < start { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func join(_ indices: some Sequence<Int>) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for index in indices {
            if !first { bytes.append(UInt8(ascii: ",")) }
            bytes += entries[index]
            first = false
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    func respond(to request: SimulatedRequest) -> SimulatedResponse {
        let headers = [("Content-Type", "application/json"), ("x-isnotai-tier", "enterprise")]
        let size = Workload.pageSize
        switch workload {
        case .chat where request.path.hasSuffix("/getSessionMessages"):
            let uid = request.json?.root["session_uid"]?.string ?? ""
            let page = request.json?.root["page"]?.int ?? 1
            let body = page == 1 ? perSession[uid] : nil
            return SimulatedResponse(
                status: 200, headers: headers, body: body ?? Array(#"{"type":"RXSUCCESS","message":"","data":[]}"#.utf8)
            )
        case .listOnly, .chat:
            // Newest last message first, as YourGPT lists with orderBy DESC.
            let page = max(1, request.json?.root["page"]?.int ?? 1)
            let newest = count - 1 - (page - 1) * size
            let indices = stride(from: newest, to: max(-1, newest - size), by: -1)
            let body =
                Array(#"{"type":"RXSUCCESS","message":"Sessions fetched","data":"#.utf8) + join(indices) + [
                    UInt8(ascii: "}")
                ]
            return SimulatedResponse(status: 200, headers: headers, body: body)
        case .fanOut:
            let segments = request.segments
            if segments.last == "participants", segments.count >= 2, let body = perSession[segments[segments.count - 2]]
            {
                return SimulatedResponse(status: 200, headers: headers, body: body)
            }
            let first = firstIndex(from: request.query("start_time").flatMap(Timestamp.init(iso8601:)))
            let page = max(1, Int(request.query("page_no") ?? "1") ?? 1)
            let lower = min(count, first + (page - 1) * size)
            let upper = min(count, lower + size)
            let paging =
                #"{"total_count":\#(count - first),"start_offset":\#(lower - first + 1),"end_offset":\#(upper - first)}"#
            let body =
                Array(#"{"success":true,"data":{"sessions":"#.utf8) + join(lower..<upper)
                + Array(#"},"paging":\#(paging)}"#.utf8)
            return SimulatedResponse(status: 200, headers: headers, body: body)
        case .detail:
            let segments = request.segments
            if segments.last == "details", segments.count >= 2, let body = perSession[segments[segments.count - 2]] {
                return SimulatedResponse(status: 200, headers: headers, body: body)
            }
            // Only closed sessions exist: a listing of active ones is empty.
            let first =
                request.query("status") == "active"
                ? count : firstIndex(from: request.query("startDate").flatMap(Timestamp.init(iso8601:)))
            // The opaque cursor is the index to continue at.
            let lower = min(count, request.query("cursor").flatMap { Int($0.dropFirst()) } ?? first)
            let upper = min(count, lower + size)
            let more = upper < count
            let next = more ? "\"c\(upper)\"" : "null"
            let pagination = #"{"nextCursor":\#(next),"hasMore":\#(more),"limit":\#(size)}"#
            let body = Array(#"{"data":"#.utf8) + join(lower..<upper) + Array(#","pagination":\#(pagination)}"#.utf8)
            return SimulatedResponse(status: 200, headers: headers, body: body)
        }
    }
}
