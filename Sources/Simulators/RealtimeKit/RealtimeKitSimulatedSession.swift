import SessionSyncSupport

/// One simulated RealtimeKit session with everything that will ever happen in it; what the API
/// shows of it depends on the clock (who has joined, whether it ended, which messages exist).
struct RealtimeKitSimulatedSession: Sendable {
    struct Participant: Sendable {
        let id: String
        let userID: String
        let customID: String
        let displayName: String
        let preset: String
        let joinedAt: Timestamp
        let leftAt: Timestamp
    }

    struct ChatLine: Sendable {
        let id: String
        let participant: Participant
        let payloadType: String
        let payload: String
        let createdAt: Timestamp
        let pinned: Bool
    }

    struct SpokenLine: Sendable {
        let participant: Participant
        let text: String
        let at: Timestamp
    }

    let id: String
    let associatedID: String
    let title: String
    let type: String
    let createdAt: Timestamp
    let startedAt: Timestamp
    /// The session is live until then (a test may move it earlier).
    var endsAt: Timestamp
    let participants: [Participant]
    let chat: [ChatLine]
    let transcript: [SpokenLine]

    func isEnded(at now: Timestamp) -> Bool {
        now >= endsAt
    }

    /// The end of what has happened by `now`.
    func horizon(_ now: Timestamp) -> Timestamp {
        min(now, endsAt)
    }

    /// Participants who joined by `now`, with `leftAt` nil while still in the session.
    func participants(at now: Timestamp) -> [(participant: Participant, leftAt: Timestamp?)] {
        let horizon = horizon(now)
        return participants.filter { $0.joinedAt < horizon || ($0.joinedAt == horizon && isEnded(at: now)) }.map {
            participant in
            if participant.leftAt <= horizon { return (participant, participant.leftAt) }
            return (participant, isEnded(at: now) ? endsAt : nil)
        }
    }

    /// A participant's minutes in the session by `now`, as the API reports them (two decimals).
    func minutes(of participant: Participant, leftAt: Timestamp?, at now: Timestamp) -> Double {
        let end = leftAt ?? horizon(now)
        let milliseconds = max(0, end.millisecondsSinceEpoch - participant.joinedAt.millisecondsSinceEpoch)
        return (Double(milliseconds) / 600.0).rounded() / 100
    }

    func livePeople(at now: Timestamp) -> Int {
        isEnded(at: now) ? 0 : participants(at: now).filter { $0.leftAt == nil }.count
    }

    /// The most participants present at once, by `now`.
    func maxConcurrent(at now: Timestamp) -> Int {
        var events: [(Int64, Int)] = []
        for (participant, leftAt) in participants(at: now) {
            events.append((participant.joinedAt.millisecondsSinceEpoch, 1))
            events.append(((leftAt ?? horizon(now).adding(milliseconds: 1)).millisecondsSinceEpoch, -1))
        }
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var current = 0
        var best = 0
        for event in events {
            current += event.1
            best = max(best, current)
        }
        return best
    }

    func minutesConsumed(at now: Timestamp) -> Double {
        let total = participants(at: now).reduce(0.0) { $0 + minutes(of: $1.participant, leftAt: $1.leftAt, at: now) }
        return (total * 100).rounded() / 100
    }

    /// Live sessions change once a minute (minutes consumed); ended ones a few seconds after the end.
    func updatedAt(at now: Timestamp) -> Timestamp {
        if isEnded(at: now) { return endsAt.adding(milliseconds: 2_500) }
        let elapsed = max(0, now.millisecondsSinceEpoch - startedAt.millisecondsSinceEpoch)
        return startedAt.adding(milliseconds: elapsed - elapsed % 60_000)
    }

    func chat(at now: Timestamp) -> [ChatLine] {
        chat.filter { $0.createdAt <= horizon(now) }
    }

    func transcript(at now: Timestamp) -> [SpokenLine] {
        transcript.filter { $0.at <= horizon(now) }
    }
}
