import SessionSyncSupport
import Synchronization

/// The state a RealtimeKit simulator and its export host share: sessions, the switches tests
/// flip, and the download links handed out.
final class RealtimeKitWorld: Sendable {
    struct Link: Sendable {
        let sessionID: String
        let export: RealtimeKitSimulator.Export
        let expiresAt: Timestamp
    }

    struct State: Sendable {
        var sessions: [RealtimeKitSimulatedSession] = []
        var random: SeededRandom
        var ticks: ActivityTicks
        var paging: RealtimeKitSimulator.PagingPlacement
        var detailShape: RealtimeKitSimulator.DetailShape
        var exportDelay: Duration
        var notReadyAnswer: RealtimeKitSimulator.NotReadyAnswer
        var successFalseAnswers = 0
        var links: [String: Link] = [:]
        var linkCounter: Int64 = 0
        var exportBaseURL: String?
    }

    let options: RealtimeKitSimulator.Options
    let state: Mutex<State>

    init(options: RealtimeKitSimulator.Options) {
        self.options = options
        let now = options.clock.now
        var random = SeededRandom(seed: options.seed)
        var sessions: [RealtimeKitSimulatedSession] = []
        let ended = max(0, options.sessions - options.liveSessions)
        // Ended sessions over the history, each over well before now; live ones started hours ago,
        // so that a listing from a recent cursor no longer brings them (they must be revisited).
        let first = now.subtracting(options.history)
        let last = now.subtracting(.seconds(30 * 60))
        let span = max(0, last.millisecondsSinceEpoch - first.millisecondsSinceEpoch)
        for index in 0..<ended {
            let created = first.adding(milliseconds: ended > 1 ? span * Int64(index) / Int64(ended - 1) : 0)
            let length = Int64.random(in: 5...60, using: &random) * 60_000
            let end = min(created.adding(milliseconds: length), now.subtracting(.seconds(15 * 60)))
            sessions.append(
                Self.makeSession(
                    createdAt: created, endsAt: end, everyLine: index == 0, options: options, using: &random))
        }
        for index in 0..<min(options.liveSessions, options.sessions) {
            let created = now.subtracting(.seconds(3 * 3600)).adding(.seconds(Int64(index) * 600))
            let end = now.adding(.seconds(3600 + Int64(index) * 1800))
            sessions.append(
                Self.makeSession(createdAt: created, endsAt: end, everyLine: false, options: options, using: &random))
        }
        sessions.sort { $0.createdAt < $1.createdAt }
        state = Mutex(
            State(
                sessions: sessions, random: random, ticks: ActivityTicks(period: options.activityEvery, start: now),
                paging: options.paging, detailShape: options.detailShape,
                exportDelay: options.exportDelay, notReadyAnswer: options.notReadyAnswer
            )
        )
    }

    /// With `activityEvery` set, a new live session starts every period; each ends on its own.
    func evolve(_ state: inout State) {
        guard let every = options.activityEvery else { return }
        for start in state.ticks.due(at: options.clock.now) {
            let periods = Int64.random(in: 2...8, using: &state.random)
            let end = start.adding(milliseconds: periods * every.milliseconds)
            state.sessions.append(
                Self.makeSession(
                    createdAt: start, endsAt: end, everyLine: false, options: options, using: &state.random))
        }
    }

    static func makeSession(
        createdAt: Timestamp, endsAt: Timestamp, everyLine: Bool, options: RealtimeKitSimulator.Options,
        using random: inout SeededRandom
    ) -> RealtimeKitSimulatedSession {
        let startedAt = createdAt.adding(milliseconds: Int64.random(in: 0...4_000, using: &random))
        let length = max(60_000, endsAt.millisecondsSinceEpoch - startedAt.millisecondsSinceEpoch)
        var participants: [RealtimeKitSimulatedSession.Participant] = []
        let count = Int.random(in: options.participantsPerSession, using: &random)
        for index in 0..<count {
            let joined = startedAt.adding(milliseconds: Int64.random(in: 0...(length * 3 / 10), using: &random))
            let remaining = max(30_000, length - (joined.millisecondsSinceEpoch - startedAt.millisecondsSinceEpoch))
            let left = joined.adding(milliseconds: Int64.random(in: min(30_000, remaining)...remaining, using: &random))
            participants.append(
                RealtimeKitSimulatedSession.Participant(
                    id: random.uuid(), userID: random.uuid(), customID: "customer-\(random.hex(6))",
                    displayName: RealtimeKitSampleText.names[
                        (index + Int(random.next() % 8)) % RealtimeKitSampleText.names.count],
                    preset: index == 0 ? "group_call_host" : random.pick(RealtimeKitSampleText.presets),
                    joinedAt: joined, leftAt: left
                )
            )
        }
        participants.sort { $0.joinedAt < $1.joinedAt }
        var chat: [RealtimeKitSimulatedSession.ChatLine] = []
        var transcript: [RealtimeKitSimulatedSession.SpokenLine] = []
        if !participants.isEmpty {
            let chatCount = everyLine ? RealtimeKitSampleText.chat.count : Int.random(in: 0...5, using: &random)
            let offset = Int(random.next() % UInt64(RealtimeKitSampleText.chat.count))
            for index in 0..<chatCount {
                let speaker = participants[index % participants.count]
                let text = RealtimeKitSampleText.chat[
                    everyLine ? index : (offset + index) % RealtimeKitSampleText.chat.count]
                let image = !everyLine && index == 4
                chat.append(
                    RealtimeKitSimulatedSession.ChatLine(
                        id: random.uuid(), participant: speaker, payloadType: image ? "IMAGE_MESSAGE" : "TEXT_MESSAGE",
                        payload: image ? "https://cdn.example.com/chat/\(random.hex(12)).png" : text,
                        createdAt: speaker.joinedAt.adding(milliseconds: Int64(index + 1) * 20_000), pinned: index == 2
                    )
                )
            }
            let spokenCount = everyLine ? RealtimeKitSampleText.transcript.count : Int.random(in: 0...4, using: &random)
            for index in 0..<spokenCount {
                let speaker = participants[index % participants.count]
                transcript.append(
                    RealtimeKitSimulatedSession.SpokenLine(
                        participant: speaker,
                        text: RealtimeKitSampleText.transcript[
                            (everyLine ? index : index + offset) % RealtimeKitSampleText.transcript.count],
                        at: startedAt.adding(milliseconds: Int64(index + 1) * 15_000)
                    )
                )
            }
            transcript.sort { $0.at < $1.at }
        }
        let type = options.types[Int(random.next() % UInt64(max(1, options.types.count)))]
        return RealtimeKitSimulatedSession(
            id: random.uuid(), associatedID: random.uuid(), title: random.pick(RealtimeKitSampleText.titles),
            type: type,
            createdAt: createdAt, startedAt: startedAt, endsAt: endsAt, participants: participants, chat: chat,
            transcript: transcript
        )
    }

    /// A signed-looking download link for an export of `sessionID`, valid for the link lifetime.
    func issueLink(_ state: inout State, sessionID: String, export: RealtimeKitSimulator.Export, now: Timestamp) -> (
        url: String, expiresAt: Timestamp
    )? {
        guard let base = state.exportBaseURL else { return nil }
        state.linkCounter += 1
        var hasher = StableHasher()
        hasher.combine(options.apiToken)
        hasher.combine(sessionID)
        hasher.combine(export.rawValue)
        hasher.combine(state.linkCounter)
        var second = hasher
        second.combine("second half")
        let signature = hasher.hexDigest + second.hexDigest
        let expiresAt = now.adding(options.exportLinkLifetime)
        state.links[signature] = Link(sessionID: sessionID, export: export, expiresAt: expiresAt)
        let date = Self.amzDate(now)
        let url =
            "\(base)/rtk-exports/\(options.appID)/\(sessionID)/\(export.rawValue).csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=SIMULATED%2F\(date.prefix(8))%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=\(date)"
            + "&X-Amz-Expires=\(options.exportLinkLifetime.components.seconds)&X-Amz-SignedHeaders=host&X-Amz-Signature=\(signature)"
        return (url, expiresAt)
    }

    /// `20261122T143405Z`.
    static func amzDate(_ time: Timestamp) -> String {
        let c = time.civil
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(c.year)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }
}
