import Foundation
import SessionSyncSupport
import Simulators
import Testing

/// Every provider's simulator answers with hostile values while `sessionsync sync` runs over all
/// four sources as a subprocess. Whatever a provider is sent, the process must end by itself
/// with 0 or 1, the other sources must succeed in the same run, the archive must pass SQLite's
/// integrity check with every stored timestamp in the contract's format, and a clean pass
/// afterwards must archive everything the simulators hold.
@Suite("Hostile answers through the binary", .serialized)
struct HostileAnswerTests {
    typealias Provider = FourSourceFixture.Provider

    /// Bounds a run that never ends (endless pages without a page bound); it synchronizes nothing.
    /// Generous, since an endless listing legitimately runs up to its page bound first.
    static let exitLimit: TimeInterval = 600

    /// What the provider under test is sent, by the names its API uses.
    enum Hostility: String, CaseIterable, Sendable, CustomStringConvertible {
        case farPastDates, farFutureDates, numbers1e19, numbers1e308, numbers1e23
        case retryAfterSeconds, retryAfterHTTPDate, unsortedPages, endlessPages, duplicateIDs

        var description: String { rawValue }

        func answer(for provider: Provider) -> HostileAnswer {
            switch self {
            case .farPastDates:
                // Year 0000; OpenReplay's epoch milliseconds one millisecond before it.
                HostileAnswer(
                    values: Self.values(
                        provider.dateKeys, provider == .openreplay ? "-62167219200001" : #""0000-01-01T00:00:00.000Z""#)
                )
            case .farFutureDates:
                // 9999-12-31T23:59:59.999 at UTC-23:59 is in the year 10000, as is the epoch value.
                HostileAnswer(
                    values: Self.values(
                        provider.dateKeys,
                        provider == .openreplay ? "253402300800000" : #""9999-12-31T23:59:59.999-23:59""#))
            case .numbers1e19:
                HostileAnswer(values: Self.values(provider.numberKeys, "1e19"))
            case .numbers1e308:
                HostileAnswer(values: Self.values(provider.numberKeys, "1e308"))
            case .numbers1e23:
                HostileAnswer(values: Self.values(provider.numberKeys, "100000000000000000000000"))
            case .retryAfterSeconds:
                HostileAnswer(headers: [("Retry-After", "10000000000000000")], status: 429)
            case .retryAfterHTTPDate:
                HostileAnswer(headers: [("Retry-After", "Fri, 31 Dec 999999999 23:59:59 GMT")], status: 429)
            case .unsortedPages:
                HostileAnswer(reversedArrays: provider.rowArrays)
            case .endlessPages:
                // OpenReplay's walk also ends when its pages reach the `total` the first one
                // reported, so that total is made one no walk reaches.
                HostileAnswer(
                    values: provider == .openreplay ? ["total": "1000000000"] : [:],
                    endlessPageParameters: provider.pageParameters)
            case .duplicateIDs:
                HostileAnswer(duplicatedArrays: provider.rowArrays)
            }
        }

        private static func values(_ keys: [String], _ json: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: keys.map { ($0, json) })
        }
    }

    @Test(
        "a hostile provider fails alone and leaves a sound archive that a clean pass completes",
        arguments: Provider.allCases, Hostility.allCases)
    func hostileAnswers(provider: Provider, hostility: Hostility) async throws {
        try await FourSourceFixture.with { fixture in
            fixture.server(provider).faults.inject(
                FaultRule(times: nil, fault: .hostile(hostility.answer(for: provider))))

            let hostile = try fixture.sync()
            let status = hostile.waitForExit(limit: Self.exitLimit)
            let output = hostile.outputAfterExit()
            #expect(fixture.server(provider).log.all.contains { $0.faulted }, "no hostile answer was sent")
            #expect(status != nil, "still running after \(Int(Self.exitLimit))s, killed: \(Self.tail(output))")
            if status != nil {
                #expect(
                    hostile.process.terminationReason == .exit && (status == 0 || status == 1),
                    "ended by \(hostile.process.terminationReason == .exit ? "exit status" : "signal") \(status ?? -1): \(Self.tail(output))"
                )
            }
            for other in Provider.allCases where other != provider {
                #expect(
                    output.contains("\(other): succeeded"),
                    "\(other) did not succeed beside hostile \(provider): \(Self.tail(output))")
            }
            try expectSoundArchive(fixture)

            fixture.server(provider).faults.clear()
            let clean = try fixture.sync()
            let cleanStatus = clean.waitForExit(limit: Self.exitLimit)
            #expect(cleanStatus == 0, "the clean pass: \(Self.tail(clean.outputAfterExit()))")
            try expectSoundArchive(fixture)
            try expectEverythingArchived(fixture)
        }
    }

    @Test("without hostile answers one pass archives everything the simulators hold (the other test's yardstick)")
    func cleanPass() async throws {
        try await FourSourceFixture.with { fixture in
            let run = try fixture.sync()
            #expect(run.waitForExit(limit: Self.exitLimit) == 0, "\(Self.tail(run.outputAfterExit()))")
            try expectSoundArchive(fixture)
            try expectEverythingArchived(fixture)
            // The comparison has something to compare: every source and child table holds rows.
            let perSource = try fixture.query(
                "SELECT o.name, count(*) > 0 FROM sessions s JOIN sources o ON o.id = s.source_id GROUP BY 1 ORDER BY 1"
            )
            #expect(perSource == Provider.allCases.map(\.rawValue).sorted().map { [$0, "1"] })
            for table in ["participants", "messages", "transcripts", "timeline"] {
                #expect(try fixture.query("SELECT count(*) > 0 FROM \(table)") == [["1"]], "\(table) is empty")
            }
        }
    }

    /// The end of a run's output, where the sources' results and any crash report are.
    private static func tail(_ text: String) -> String {
        String(text.suffix(3000))
    }

    private func expectSoundArchive(_ fixture: FourSourceFixture) throws {
        let integrity = try fixture.query("PRAGMA integrity_check")
        #expect(integrity == [["ok"]])
        let malformed = try fixture.malformedTimestamps()
        #expect(malformed == [], "timestamps not in the contract's format")
    }

    /// The archive holds what every simulator holds: sessions, and the child rows each API serves.
    /// Values are read before each comparison so that a failure shows both sides.
    private func expectEverythingArchived(_ fixture: FourSourceFixture) throws {
        let live = try fixture.archivedIDs(.openreplay, where: "s.status = 'live'")
        #expect(live == fixture.openreplay.liveSessions.map(\.sessionID).sorted(), "OpenReplay's live sessions")

        let activities = try fixture.archivedIDs(.isnotai)
        #expect(activities == fixture.isnotai.sessionIDs.sorted(), "isnotai's sessions")
        let detailed = try fixture.archivedIDs(.isnotai, where: "s.detail_raw IS NOT NULL AND s.ended_at IS NOT NULL")
        #expect(detailed == fixture.isnotai.closedSessionIDs.sorted(), "isnotai's closed sessions with their details")

        let meetings = try fixture.archivedIDs(.realtimekit)
        #expect(meetings == fixture.realtimekit.sessionIDs.sorted(), "RealtimeKit's sessions")
        for id in fixture.realtimekit.sessionIDs {
            let participants = try fixture.childIDs("participants", of: id, source: .realtimekit)
            #expect(
                participants == fixture.realtimekit.participantMinutes(of: id).keys.sorted(),
                "participants of meeting \(id)")
            guard let endedAt = fixture.realtimekit.status(of: id)?.endedAt,
                endedAt < fixture.now.subtracting(.seconds(120))
            else { continue }
            let chat = try fixture.childIDs("messages", of: id, source: .realtimekit)
            #expect(chat == fixture.realtimekit.chat(of: id).map(\.id).sorted(), "chat of meeting \(id)")
            let lines = try fixture.childCount("transcripts", of: id, source: .realtimekit)
            #expect(lines == fixture.realtimekit.transcript(of: id).count, "transcript of meeting \(id)")
        }

        let chats = try fixture.archivedIDs(.yourgpt)
        #expect(chats == fixture.yourgpt.uidsNewestFirst.sorted(), "YourGPT's sessions")
        for uid in fixture.yourgpt.uidsNewestFirst {
            let messages = try fixture.childIDs("messages", of: uid, source: .yourgpt)
            #expect(
                messages.count == fixture.yourgpt.messageCount(of: uid),
                "messages of chat \(uid): archived ids \(messages)")
        }
    }
}

/// Each API's names for what the hostile answers replace.
extension FourSourceFixture.Provider {
    /// Members holding a date-time (`timestamp`: OpenReplay's and isnotai's epoch or ISO values).
    fileprivate var dateKeys: [String] {
        switch self {
        case .openreplay: ["timestamp"]
        case .isnotai: ["createdAt", "updatedAt", "startTime", "endTime", "timestamp"]
        case .realtimekit: ["created_at", "updated_at", "started_at", "ended_at", "joined_at", "left_at"]
        case .yourgpt: ["created_at", "updated_at", "last_message_time", "createdAt"]
        }
    }

    /// Members holding a number: counts, scores, durations, numeric ids, paging.
    fileprivate var numberKeys: [String] {
        switch self {
        case .openreplay: ["timestamp", "total", "projectId"]
        case .isnotai:
            [
                "botScore", "durationSeconds", "eventCount", "activityLevel", "durationMs", "total", "mouse", "scroll",
                "keyboard", "touch", "form",
            ]
        case .realtimekit:
            [
                "total_count", "start_offset", "end_offset", "duration", "minutes_consumed", "live_participants",
                "max_concurrent_participants",
            ]
        case .yourgpt:
            [
                "id", "project_id", "integration_id", "contact_id", "session_id", "visitor_id", "sender_id",
                "total_unseen",
            ]
        }
    }

    /// Arrays holding a page's rows (and isnotai's per-session series).
    fileprivate var rowArrays: Set<String> {
        switch self {
        case .openreplay: ["sessions"]
        case .isnotai: ["data", "timeline", "pageHistory"]
        case .realtimekit: ["sessions", "participants"]
        case .yourgpt: ["data"]
        }
    }

    /// Request parameters that choose a page.
    fileprivate var pageParameters: Set<String> {
        switch self {
        case .openreplay: ["page"]
        case .isnotai: ["cursor"]
        case .realtimekit: ["page_no"]
        case .yourgpt: ["page"]
        }
    }
}
