#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The code one fuzzing run exercises, chosen by `SESSIONSYNC_FUZZ_TARGET`: one binary serves
/// every target, so the sanitizer build links once.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONDocument` and every accessor on every value.
    case json
    /// Every provider's mapping of a page body, envelopes and paging included.
    case pages
    /// RealtimeKit's CSV export files and their chat and transcript mappings.
    case csv
    /// `Retry-After`, HTTP-dates and ISO-8601 timestamps, parsed and formatted back.
    case http

    static let environmentVariable = "SESSIONSYNC_FUZZ_TARGET"

    static let selected: FuzzTarget? = getenv(environmentVariable).flatMap { FuzzTarget(rawValue: String(cString: $0)) }

    func run(_ bytes: [UInt8]) {
        switch self {
        case .json: JSONDocumentWalk.run(bytes)
        case .pages: ProviderMappings.mapPageBody(bytes)
        case .csv: ProviderMappings.mapExportFile(bytes)
        case .http: HTTPTimeParsing.run(bytes)
        }
    }
}

/// libFuzzer's entry point; the exported name is what `-sanitize=fuzzer`'s runtime links against.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected?.run(bytes)
    return 0
}
