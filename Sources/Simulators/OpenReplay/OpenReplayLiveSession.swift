import SessionSyncSupport

/// One live session as OpenReplay's tracker reports it (`sessionInfo`, merged with later
/// updates), and its JSON in each API style.
public struct OpenReplayLiveSession: Sendable, Equatable {
    public let sessionID: String
    /// Start, epoch milliseconds.
    public let timestamp: Int64
    /// `""` until the page calls `tracker.setUserID`.
    public var userID: String
    public let userUUID: String
    public var metadata: [String: String]
    public var pageTitle: String
    public var active: Bool
    public var trackerVersion: String
    public var userOs: String
    public var userBrowser: String
    public var userBrowserVersion: String
    public var userDevice: String?
    public var userDeviceType: String
    public var userCountry: String
    public var userState: String
    public var userCity: String
    public var isSnippet: Bool

    /// The v2 (`public`) form: the tracker's raw fields, `projectID` as text.
    func publicJSON(projectKey: String, projectID: Int) -> JSONOutput {
        .object([
            ("pageTitle", .string(pageTitle)), ("sessionID", .string(sessionID)), ("metadata", metadataJSON),
            ("userID", .string(userID)), ("userUUID", .string(userUUID)), ("projectKey", .string(projectKey)),
            ("projectID", .string(String(projectID))), ("revID", .string("")), ("timestamp", .int(timestamp)),
            ("trackerVersion", .string(trackerVersion)), ("isSnippet", .bool(isSnippet)), ("userOs", .string(userOs)),
            ("userBrowser", .string(userBrowser)), ("userBrowserVersion", .string(userBrowserVersion)),
            ("userDevice", .optional(userDevice)), ("userDeviceType", .string(userDeviceType)),
            ("userCountry", .string(userCountry)), ("userState", .string(userState)), ("userCity", .string(userCity)),
            ("active", .bool(active)), ("assistOnly", .bool(false)),
        ])
    }

    /// The v1 (`legacy`) form, as seed 001 shows it: `projectId` a number, and `live`.
    func legacyJSON(projectKey: String, projectID: Int) -> JSONOutput {
        .object([
            ("pageTitle", .string(pageTitle)), ("sessionID", .string(sessionID)), ("metadata", metadataJSON),
            ("userID", .string(userID)), ("userUUID", .string(userUUID)), ("projectKey", .string(projectKey)),
            ("revID", .string("")), ("timestamp", .int(timestamp)), ("trackerVersion", .string(trackerVersion)),
            ("isSnippet", .bool(isSnippet)), ("userOs", .string(userOs)), ("userBrowser", .string(userBrowser)),
            ("userBrowserVersion", .string(userBrowserVersion)), ("userDevice", .optional(userDevice)),
            ("userDeviceType", .string(userDeviceType)), ("userCountry", .string(userCountry)),
            ("active", .bool(active)),
            ("live", .bool(true)), ("projectId", .int(Int64(projectID))),
        ])
    }

    /// Go writes map keys sorted.
    private var metadataJSON: JSONOutput {
        .object(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) })
    }

    /// The value a v2 filter `name` compares against (apis.md 1.3): a known attribute, else a metadata key.
    func publicAttribute(_ name: String) -> String? {
        switch name {
        case "userId": userID
        case "userAnonymousId": userUUID
        case "userOs": userOs
        case "userBrowser": userBrowser
        case "userDevice": userDevice
        case "platform": userDeviceType
        case "userCountry": userCountry
        case "userState": userState
        case "userCity": userCity
        case "active": active ? "true" : "false"
        default: metadata[name]
        }
    }

    /// The legacy filter types (matched case-insensitively), except `METADATA`.
    static let legacyTypes = [
        "USERID", "USERANONYMOUSID", "USEROS", "USERBROWSER", "USERBROWSERVERSION", "USERDEVICE", "USERDEVICETYPE",
        "PLATFORM",
        "USERCOUNTRY", "PAGETITLE", "SESSIONID", "TRACKERVERSION", "USERUUID", "METADATA",
    ]

    /// The value a legacy filter `type` (upper-cased) compares against.
    func legacyAttribute(_ type: String, source: String?) -> String? {
        switch type {
        case "USERID": userID
        case "USERANONYMOUSID", "USERUUID": userUUID
        case "USEROS": userOs
        case "USERBROWSER": userBrowser
        case "USERBROWSERVERSION": userBrowserVersion
        case "USERDEVICE": userDevice
        case "USERDEVICETYPE", "PLATFORM": userDeviceType
        case "USERCOUNTRY": userCountry
        case "PAGETITLE": pageTitle
        case "SESSIONID": sessionID
        case "TRACKERVERSION": trackerVersion
        case "METADATA": source.flatMap { metadata[$0] }
        default: nil
        }
    }
}
