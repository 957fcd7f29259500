import SessionSyncSupport

/// Makes deterministic, plausible live sessions from a seeded generator.
struct OpenReplaySessionFactory {
    var random: SeededRandom
    private var serial: Int64 = 0

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    static let users = [
        "", "", "", "mickael@openreplay.com", "dev@openreplay.com", "ada@example.com", "Grace.Hopper@Example.org",
        "linus@example.net",
    ]
    static let plans = ["trial", "free", "pro", "enterprise"]
    static let teams = ["growth", "core", "ops"]
    static let titles = ["OpenReplay Blog", "Pricing", "Docs — Getting started", "Checkout", "Dashboard", "Page"]
    static let trackers = ["3.5.11", "14.0.10", "16.1.2"]
    static let devices: [(os: String, browser: String, version: String, device: String?, type: String)] = [
        ("Mac OS", "Chrome", "103.0.0.0", nil, "desktop"),
        ("Windows", "Edge", "120.0.2210.91", nil, "desktop"),
        ("Linux", "Firefox", "128.0", nil, "desktop"),
        ("iOS", "Mobile Safari", "17.4", "iPhone", "mobile"),
        ("Android", "Chrome Mobile", "124.0.6367.82", "Samsung SM-S918B", "mobile"),
        ("iOS", "Mobile Safari", "17.4", "iPad", "tablet"),
    ]
    static let places: [(country: String, state: String, city: String)] = [
        ("FR", "Île-de-France", "Paris"), ("US", "California", "San Francisco"), ("DE", "Berlin", "Berlin"),
        ("IN", "Karnataka", "Bengaluru"), ("BR", "São Paulo", "São Paulo"), ("JP", "Tokyo", "Tokyo"), ("", "", ""),
    ]

    /// A session that started at `start`.
    mutating func make(startedAt start: Timestamp) -> OpenReplayLiveSession {
        serial += 1
        // 16 decimal digits like the real ids, unique per serial.
        let id = 6_975_518_573_000_000 + serial * 7919 + Int64(random.next() % 7919)
        let device = random.pick(Self.devices)
        let place = random.pick(Self.places)
        var metadata: [String: String] = [:]
        switch random.next() % 3 {
        case 0: break
        case 1: metadata["plan"] = random.pick(Self.plans)
        default:
            metadata["plan"] = random.pick(Self.plans)
            metadata["team"] = random.pick(Self.teams)
        }
        return OpenReplayLiveSession(
            sessionID: String(id), timestamp: start.millisecondsSinceEpoch, userID: random.pick(Self.users),
            userUUID: random.uuid(),
            metadata: metadata, pageTitle: random.pick(Self.titles), active: random.next() % 2 == 0,
            trackerVersion: random.pick(Self.trackers), userOs: device.os, userBrowser: device.browser,
            userBrowserVersion: device.version,
            userDevice: device.device, userDeviceType: device.type, userCountry: place.country, userState: place.state,
            userCity: place.city, isSnippet: random.next() % 4 == 0
        )
    }

    /// Something a live user does: changes page, goes idle or active, logs in, or gets metadata.
    mutating func change(_ session: inout OpenReplayLiveSession) {
        switch random.next() % 4 {
        case 0: session.pageTitle = random.pick(Self.titles.filter { $0 != session.pageTitle })
        case 1: session.active.toggle()
        case 2: session.userID = session.userID.isEmpty ? random.pick(Array(Self.users.dropFirst(3))) : session.userID
        default: session.metadata["plan"] = random.pick(Self.plans)
        }
    }
}
