/// Names and lines the simulator puts in sessions: plain ones, and ones that test a CSV reader
/// (commas, quotes, line breaks, CRLF, combining marks, emoji, scripts other than Latin).
enum RealtimeKitSampleText {
    static let names = [
        "Ada Lovelace", "Grace Hopper", "Doe, Jane", "Zoë Ångström", "李小龙", "José \"Pepe\" García", "Mathilde",
        "O'Brien",
    ]

    static let presets = ["group_call_host", "group_call_participant", "webinar_presenter", "webinar_viewer"]

    static let titles = [
        "Weekly sync", "Customer onboarding", "All hands", "Design review, Q4", "Support call", "Town hall — 🎤",
    ]

    /// Chat payloads; the oldest session of every simulator has all of them, in this order.
    static let chat = [
        "Hello everyone",
        "Can you hear me, or is my mic off?",
        "He said \"ship it\", so we did",
        "line one\nline two\nline three",
        "CRLF inside\r\na message",
        "Ünïcödé: café, naïve, 日本語, Ελληνικά, العربية 🎉🚀",
        "e\u{301} (combining accent) and \"quote\" then,comma",
        "",
        "   leading and trailing spaces   ",
        "https://example.com/slides?deck=1&page=2",
    ]

    /// Transcript lines; the oldest session of every simulator has all of them, in this order.
    static let transcript = [
        "Good morning, everyone.",
        "Let's start with the numbers: 1,234 users, up 5%.",
        "She asked, \"is that final?\"",
        "Two lines\nof speech",
        "Merci beaucoup — ça marche très bien 👍",
        "好的，我们开始吧。",
    ]
}
