import SessionSyncSupport
import Simulators
import Synchronization

/// A minimal API for engine tests: `GET /items?since=ISO&page=N&per_page=K`, oldest first,
/// `Authorization: Bearer items-token`, errors as `{"message": "..."}`.
final class ItemsSimulator: SimulatedAPI {
    static let token = "items-token-9d2e"
    static let base = Timestamp(iso8601: "2026-11-01T00:00:00Z")!

    struct Item {
        let id: String
        let created: Timestamp
        var value: String
    }

    private let items: Mutex<[Item]>
    /// Where a redirect-test answer points (set by the test).
    let redirectTarget = Mutex<String?>(nil)
    /// The status of a redirect-test answer.
    let redirectStatus = Mutex(302)

    init(count: Int) {
        items = Mutex(
            (0..<count).map {
                Item(id: "item-\($0)", created: Self.base.adding(.seconds(60 * Int64($0))), value: "v\($0)")
            })
    }

    func setValue(_ id: String, _ value: String) {
        items.withLock { items in
            if let index = items.firstIndex(where: { $0.id == id }) { items[index].value = value }
        }
    }

    var all: [Item] {
        items.withLock { $0 }
    }

    func respond(to request: SimulatedRequest) -> SimulatedResponse {
        if request.path == "/redirect", let target = redirectTarget.withLock({ $0 }) {
            return SimulatedResponse(status: redirectStatus.withLock { $0 }, headers: [("Location", target)])
        }
        guard request.header("Authorization") == "Bearer \(Self.token)" else {
            return .json(.object([("message", .string("bad token"))]), status: 401)
        }
        guard request.path == "/items" || request.path == "/redirected/items" else {
            return .json(.object([("message", .string("no route \(request.path)"))]), status: 404)
        }
        let since = request.query("since").flatMap(Timestamp.init(iso8601:)) ?? Self.base
        let page = Int(request.query("page") ?? "1") ?? 1
        let perPage = Int(request.query("per_page") ?? "10") ?? 10
        let matching = all.filter { $0.created >= since }
        let start = (page - 1) * perPage
        let slice = start < matching.count ? Array(matching[start..<min(matching.count, start + perPage)]) : []
        return .json(
            .object([
                (
                    "items",
                    .array(
                        slice.map {
                            .object([
                                ("id", .string($0.id)), ("created", .string($0.created.iso8601)),
                                ("value", .string($0.value)),
                            ])
                        })
                ),
                ("more", .bool(start + perPage < matching.count)),
            ]))
    }
}
