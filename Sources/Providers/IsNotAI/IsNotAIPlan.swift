/// The plan an isnotai key belongs to, read from the `x-isnotai-tier` header that every
/// authenticated answer carries: it bounds the page size and how far back the API still answers.
struct IsNotAIPlan: Sendable, Equatable {
    static let header = "x-isnotai-tier"

    let name: String
    /// A `startDate` older than this (before now) gets an empty page, not an error.
    let historyWindow: Duration
    let maxPageSize: Int

    static let free = IsNotAIPlan(name: "free", historyWindow: .seconds(7 * 86_400), maxPageSize: 50)
    static let pro = IsNotAIPlan(name: "pro", historyWindow: .seconds(30 * 86_400), maxPageSize: 100)
    static let enterprise = IsNotAIPlan(name: "enterprise", historyWindow: .seconds(7 * 365 * 86_400), maxPageSize: 100)

    /// The plan a header value names; nil when the header is absent or names an unknown plan.
    init?(header value: String?) {
        switch value?.trimmingWhitespace.lowercased() {
        case "free": self = .free
        case "pro": self = .pro
        case "enterprise": self = .enterprise
        default: return nil
        }
    }

    private init(name: String, historyWindow: Duration, maxPageSize: Int) {
        self.name = name
        self.historyWindow = historyWindow
        self.maxPageSize = maxPageSize
    }

    var windowDescription: String {
        let days = historyWindow.components.seconds / 86_400
        return days % 365 == 0 && days >= 365 ? "\(days / 365)-year" : "\(days)-day"
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
