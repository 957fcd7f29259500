import Archive
import Foundation
import SessionSyncSupport

/// The batches both archives must write alike, one scenario per rule of the writer.
enum WriterScenarios {
    static let t0 = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!

    static func at(_ seconds: Int64) -> Timestamp {
        t0.adding(.seconds(seconds))
    }

    static let all: [WriterScenario] = [
        sameAgain, changedColumns, changedChildSet, appendedMessages, sessionChildren, presence, queue, detailRequests,
        cursors, drift, quarantine, tombstonesAndRetention, repeatsInAPass, manyRows, batchedQueueWork,
    ]

    // MARK: Records

    /// A meeting with every column and every kind of child set, repeated keys included (the last
    /// row of a key wins).
    static func meeting(_ id: String = "m1", title: String = "Standup", timeline: [Int64] = [4, 9, 2]) -> SessionRecord
    {
        var record = SessionRecord(externalID: id, kind: .meeting)
        record.status = "ended"
        record.title = title
        record.userID = "u-42"
        record.startedAt = at(-3600)
        record.endedAt = at(-1800)
        record.durationSeconds = 1800.5
        record.country = "DE"
        record.deviceType = "desktop"
        record.os = "Linux"
        record.browser = "Firefox"
        record.browserVersion = "128"
        record.url = "https://example.com/room"
        record.botScore = 0.25
        record.metadata = #"{"seats":3, "plan":"pro"}"#
        record.raw = #"{"id":"\#(id)","title":"\#(title)","n":[1,2.50,1e2],"nested":{"b":1,"a":[true,null]}}"#
        record.detailRaw = #"{"detail":1}"#
        record.insertOnly = [.detailRaw]
        record.children = [
            .participants([
                ParticipantRecord(
                    externalID: "p1", userID: "u1", displayName: "Ada", role: "host", joinedAt: at(-3600),
                    leftAt: at(-1800), durationSeconds: 1800, raw: #"{"id":"p1"}"#),
                ParticipantRecord(externalID: "p2", displayName: "Grace", raw: #"{"id":"p2"}"#),
                ParticipantRecord(externalID: "p1", userID: "u1", displayName: "Ada L.", raw: #"{"id":"p1","v":2}"#),
            ]),
            .pageHistory([
                PageVisit(url: "/a", visitedAt: at(-3600), type: "view", durationMilliseconds: 1200),
                PageVisit(url: "/b", visitedAt: nil, type: nil, durationMilliseconds: nil),
                PageVisit(url: "/a", visitedAt: at(-3000), type: "view", durationMilliseconds: 5),
            ]),
            .timeline(
                timeline.enumerated().map { index, count in
                    // The third bucket repeats the first one's time: the later point wins.
                    TimelineBucket(
                        bucketAt: at(-3600 + Int64(index % 2) * 60), eventCount: count,
                        dominantEventType: "mouse", activityLevel: Double(count) / 10)
                }),
            .eventCounts([
                EventCount(eventType: "total", count: 12), EventCount(eventType: "mouse", count: 7),
                EventCount(eventType: "mouse", count: 8),
            ]),
            .metadata([
                MetadataEntry(key: "plan", value: "pro"), MetadataEntry(key: "seats", value: "3"),
                MetadataEntry(key: "plan", value: "team"), MetadataEntry(key: "empty", value: nil),
            ]),
            .messages([
                MessageRecord(
                    externalID: "x1", sender: "Ada", sentAt: at(-3500), contentType: "text", body: "hello",
                    raw: #"{"id":"x1"}"#),
                MessageRecord(
                    externalID: "x1", sender: "Ada", sentAt: at(-3500), contentType: "text", body: "hello, edited",
                    raw: #"{"id":"x1","edited":true}"#),
                MessageRecord(
                    externalID: "x2", sender: nil, sentAt: nil, contentType: nil, body: "Grüße 👋", raw: #"{"id":"x2"}"#),
                // The same message twice: counted once.
                MessageRecord(
                    externalID: "x2", sender: nil, sentAt: nil, contentType: nil, body: "Grüße 👋", raw: #"{"id":"x2"}"#),
            ]),
            .transcripts([
                TranscriptLine(spokenAt: at(-3550), participantExternalID: "p1", speaker: "Ada", text: "Good morning"),
                TranscriptLine(spokenAt: nil, participantExternalID: nil, speaker: nil, text: nil),
            ]),
        ]
        return record
    }

    /// A session known only by its id and payload.
    static func bare(_ id: String, kind: SessionKind = .meeting) -> SessionRecord {
        var record = SessionRecord(externalID: id, kind: kind)
        record.raw = #"{"id": "\#(id)"}"#
        return record
    }

    static func chat(_ id: String = "c1", messages: [MessageRecord]) -> SessionRecord {
        var record = SessionRecord(externalID: id, kind: .chat)
        record.status = "open"
        record.title = "Ünïcödé ☕"
        record.raw = #"{"session_uid":"\#(id)"}"#
        record.children = [.messages(messages)]
        return record
    }

    static func message(_ id: String, _ body: String) -> MessageRecord {
        MessageRecord(
            externalID: id, sender: "visitor", sentAt: at(-60), contentType: "text", body: body,
            raw: #"{"id":"\#(id)","text":"\#(body)"}"#)
    }

    static func live(_ id: String, startedAt: Timestamp?) -> SessionRecord {
        var record = SessionRecord(externalID: id, kind: .web)
        record.status = "live"
        record.startedAt = startedAt
        record.raw = #"{"sessionID":"\#(id)"}"#
        return record
    }

    /// Sessions as text, their `raw` as a value (PostgreSQL's jsonb keeps the value, not the bytes).
    static func describe(_ sessions: [ArchivedSession]) -> String {
        sessions.map { session in
            let value = try? JSONSerialization.jsonObject(with: Data(session.raw.utf8), options: .fragmentsAllowed)
            let raw = value.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
            return
                "\(session.externalID) \(session.status ?? "NULL") \(session.startedAt ?? "NULL") \(session.endedAt ?? "NULL") "
                + "\(session.updatedAt) \(session.lastSeenAt) \(raw.map { String(decoding: $0, as: UTF8.self) } ?? "not JSON")"
        }.joined(separator: "; ")
    }

    // MARK: Scenarios

    static let sameAgain = WriterScenario(
        name: "new sessions with child sets, then the same again: nothing changes, updated_at stays",
        steps: [
            .commit(t0, ArchiveBatch(sessions: [meeting(), bare("m2"), chat(messages: [message("y1", "hi")])])),
            .commit(at(60), ArchiveBatch(sessions: [meeting(), bare("m2"), chat(messages: [message("y1", "hi")])])),
            .act("read m1") { archive in
                describe(
                    try await archive.backend.session(sourceID: archive.sourceID, externalID: "m1").map { [$0] } ?? [])
            },
        ])

    static let changedColumns: WriterScenario = {
        var retitled = meeting(title: "Retro")
        retitled.detailRaw = #"{"detail":2}"#  // insert-only: not written over an existing row
        var statusOnly = SessionRecord(externalID: "m1", kind: .livestream)
        statusOnly.status = "live"
        var cleared = meeting(title: "Retro")
        cleared.country = nil
        cleared.durationSeconds = nil
        return WriterScenario(
            name: "a changed column moves updated_at; an insert-only column is not written over a row",
            steps: [
                .commit(t0, ArchiveBatch(sessions: [meeting()])),
                .commit(at(60), ArchiveBatch(sessions: [retitled])),
                .commit(at(120), ArchiveBatch(sessions: [statusOnly])),
                .commit(at(180), ArchiveBatch(sessions: [cleared])),
                .commit(at(240), ArchiveBatch(sessions: [cleared])),
            ])
    }()

    static let changedChildSet: WriterScenario = {
        var fewerKeys = meeting()
        fewerKeys.children = [.metadata([MetadataEntry(key: "plan", value: "pro")])]
        return WriterScenario(
            name: "a changed child set is replaced and moves updated_at; the other sets stay",
            steps: [
                .commit(t0, ArchiveBatch(sessions: [meeting()])),
                .commit(at(60), ArchiveBatch(sessions: [meeting(timeline: [4, 9, 3, 8])])),
                .commit(at(120), ArchiveBatch(sessions: [fewerKeys])),
                .commit(at(180), ArchiveBatch(sessions: [fewerKeys])),
            ])
    }()

    static let appendedMessages: WriterScenario = {
        let appended = SessionChildren(
            externalID: "c1",
            children: [
                .appendMessages([
                    message("y3", "new"), message("y1", "first, edited"), message("y2", "second"),
                    message("y4", "draft"), message("y4", "sent"), message("y5", "same"), message("y5", "same"),
                ])
            ])
        return WriterScenario(
            name: "appended messages: new and changed ones are written and counted, unchanged ones not",
            steps: [
                .commit(
                    t0, ArchiveBatch(sessions: [chat(messages: [message("y1", "first"), message("y2", "second")])])),
                .commit(at(60), ArchiveBatch(sessionChildren: [appended])),
                .commit(at(120), ArchiveBatch(sessionChildren: [appended])),
            ])
    }()

    static let sessionChildren: WriterScenario = {
        let participants = ChildSet.participants([
            ParticipantRecord(externalID: "p9", displayName: "Late joiner", raw: #"{"id":"p9"}"#)
        ])
        let batch = ArchiveBatch(sessionChildren: [
            SessionChildren(externalID: "m1", children: [participants]),
            SessionChildren(externalID: "never-listed", children: [participants, .metadata([])]),
        ])
        return WriterScenario(
            name: "child sets fetched apart go onto a known session only; for an unknown one they are dropped",
            steps: [
                .commit(t0, ArchiveBatch(sessions: [meeting()])),
                .commit(at(60), batch),
                .commit(at(120), batch),
            ])
    }()

    static let presence = WriterScenario(
        name: "presence snapshots end sessions absent twice, with ended_at and the duration from the instants",
        steps: [
            .commit(
                t0,
                ArchiveBatch(sessions: [
                    live("w1", startedAt: t0.adding(milliseconds: -100_123)), live("w2", startedAt: nil),
                    live("w3", startedAt: at(-5)),
                ])),
            .commit(
                at(60),
                ArchiveBatch(
                    sessions: [live("w1", startedAt: t0.adding(milliseconds: -100_123)), live("w2", startedAt: nil)],
                    presence: PresenceSnapshot(seenExternalIDs: ["w1", "w2"]))),
            .commit(at(90), ArchiveBatch(presence: PresenceSnapshot(seenExternalIDs: ["w3"]))),
            .commit(at(120), ArchiveBatch(presence: PresenceSnapshot(seenExternalIDs: ["w3"]))),
            .commit(at(150), ArchiveBatch(presence: PresenceSnapshot(seenExternalIDs: []))),
            .act("ended sessions") { archive in
                describe(
                    try await archive.backend.sessions(
                        sourceID: archive.sourceID, status: "ended", limit: 10, notSeenSince: nil))
            },
            .act("live sessions not seen since a minute in") { archive in
                describe(
                    try await archive.backend.sessions(
                        sourceID: archive.sourceID, status: "live", limit: 10, notSeenSince: at(30)))
            },
        ])

    static let queue: WriterScenario = {
        var first = ArchiveBatch(enqueue: [
            QueueRequest(kind: "participants", externalID: "a", version: "v1"),
            QueueRequest(kind: "participants", externalID: "b", version: "v1"),
            QueueRequest(kind: "export", externalID: "c", version: nil, expiresAt: at(30)),
            QueueRequest(kind: "participants", externalID: "f", version: "v1"),
        ])
        first.completions = [QueueCompletion(kind: "participants", externalID: "a", outcome: .done(version: "v1"))]
        var second = ArchiveBatch(enqueue: [
            QueueRequest(kind: "participants", externalID: "a", version: "v1"),
            QueueRequest(kind: "participants", externalID: "b", version: "v2"),
        ])
        second.fulfilled = [
            QueueRequest(kind: "participants", externalID: "d", version: "v1"),
            QueueRequest(kind: "participants", externalID: "a", version: "v2"),
        ]
        second.completions = [
            QueueCompletion(kind: "participants", externalID: "b", outcome: .done(version: "v1")),
            QueueCompletion(
                kind: "participants", externalID: "f",
                outcome: .retry(error: "HTTP 503", notBefore: at(90), countsAsAttempt: true, maxAttempts: 2)),
            QueueCompletion(kind: "participants", externalID: "nobody", outcome: .giveUp(error: "gone")),
        ]
        var third = ArchiveBatch()
        third.completions = [
            QueueCompletion(
                kind: "participants", externalID: "f",
                outcome: .retry(error: nil, notBefore: nil, countsAsAttempt: true, maxAttempts: 2)),
            QueueCompletion(
                kind: "participants", externalID: "b",
                outcome: .retry(error: "not ready", notBefore: nil, countsAsAttempt: false, maxAttempts: nil)),
        ]
        return WriterScenario(
            name: "the fetch queue: requests, versions, work fulfilled at once, retries, give-ups and deadlines",
            steps: [
                .commit(t0, first),
                .act("due before the retry's time") { archive in
                    "\(try await archive.backend.dueQueueItems(sourceID: archive.sourceID, kind: "participants", now: at(10), limit: 10, notAttemptedSince: nil))"
                },
                .commit(at(60), second),
                .act("due participants") { archive in
                    "\(try await archive.backend.dueQueueItems(sourceID: archive.sourceID, kind: "participants", now: at(100), limit: 10, notAttemptedSince: nil))"
                },
                .act("due participants not tried since the second commit") { archive in
                    "\(try await archive.backend.dueQueueItems(sourceID: archive.sourceID, kind: "participants", now: at(100), limit: 10, notAttemptedSince: at(60)))"
                },
                .act("due exports, past the deadline") { archive in
                    "\(try await archive.backend.dueQueueItems(sourceID: archive.sourceID, kind: "export", now: at(100), limit: 10, notAttemptedSince: nil))"
                },
                .commit(at(120), third),
                .act("states") { archive in
                    let states = try await archive.backend.queueStates(
                        sourceID: archive.sourceID, kind: "participants", externalIDs: ["a", "b", "d", "f", "zz"])
                    return "\(states.sorted { $0.key < $1.key })"
                },
                .act("ledger") { archive in
                    let ledger = try await archive.backend.ledger(
                        sources: [ArchiveUnderTest.sourceName], queueCounts: true)
                    return "\(ledger[ArchiveUnderTest.sourceName]?.queue ?? [])"
                },
            ])
    }()

    static let detailRequests = WriterScenario(
        name: "detail requests move into the fetch queue, once",
        steps: [
            .commit(t0, ArchiveBatch(enqueue: [QueueRequest(kind: "details", externalID: "r1", version: "v1")])),
            .act("request") { archive in
                try await archive.requestDetails(["r1", "r2"], at(30))
                return "requested"
            },
            .act("drain") { archive in
                "\(try await archive.backend.drainDetailRequests(sourceName: ArchiveUnderTest.sourceName, sourceID: archive.sourceID, kind: "details", now: at(60)))"
            },
            .act("drain again") { archive in
                "\(try await archive.backend.drainDetailRequests(sourceName: ArchiveUnderTest.sourceName, sourceID: archive.sourceID, kind: "details", now: at(90)))"
            },
        ])

    static let cursors = WriterScenario(
        name: "cursors are set, moved and forgotten with their batch",
        steps: [
            .commit(
                t0,
                ArchiveBatch(cursors: [
                    CursorUpdate(stream: "created_at", value: at(-60).iso8601),
                    CursorUpdate(stream: "listing", value: #"{"seen": ["a", "b"]}"#),
                ])),
            .commit(
                at(60),
                ArchiveBatch(cursors: [
                    CursorUpdate(stream: "created_at", value: at(0).iso8601),
                    CursorUpdate(stream: "listing", value: nil),
                ])),
            .act("cursors") { archive in
                let created = try await archive.backend.cursor(sourceID: archive.sourceID, stream: "created_at")
                let listing = try await archive.backend.cursor(sourceID: archive.sourceID, stream: "listing")
                let missing = try await archive.backend.cursor(sourceID: archive.sourceID, stream: "none")
                return "\([created, listing, missing])"
            },
        ])

    static let drift = WriterScenario(
        name: "drift is counted per field and expectation, with its last sample",
        steps: [
            .commit(
                t0,
                ArchiveBatch(drift: [
                    SchemaDrift(
                        endpoint: "sessions", path: "data[].country", expected: "a string", found: "a number: 840"),
                    SchemaDrift(endpoint: "sessions", path: "data[].started", expected: "a time", found: "\"soon\""),
                ])),
            .commit(
                at(60),
                ArchiveBatch(drift: [
                    SchemaDrift(
                        endpoint: "sessions", path: "data[].country", expected: "a string", found: "a number: 276",
                        count: 3)
                ])),
        ])

    static let quarantine: WriterScenario = {
        let broken = QuarantinedRecord(
            endpoint: "sessions", externalID: nil, reason: "data[3].id: missing member \"id\"",
            raw: #"{"title": "no id", "n": 1.50}"#)
        let other = QuarantinedRecord(
            endpoint: "sessions", externalID: "x", reason: "data[4].created_at: not a time", raw: #"{"id":"x"}"#)
        return WriterScenario(
            name: "quarantine keeps a record once and counts it; a batch that archives it releases it",
            steps: [
                .commit(t0, ArchiveBatch(quarantined: [broken])),
                .commit(at(60), ArchiveBatch(quarantined: [broken, other])),
                .releaseQuarantine(at(120)),
            ])
    }()

    static let tombstonesAndRetention: WriterScenario = {
        var old = bare("old1")
        old.endedAt = at(-7200)
        var kept = bare("keep")
        kept.endedAt = at(86_400)
        var returning = ArchiveBatch(
            sessions: [old, bare("keep")],
            sessionChildren: [SessionChildren(externalID: "old2", children: [.metadata([])])],
            enqueue: [
                QueueRequest(kind: "participants", externalID: "old1", version: "v2"),
                QueueRequest(kind: "participants", externalID: "keep", version: "v1"),
            ])
        returning.fulfilled = [QueueRequest(kind: "participants", externalID: "old2", version: "v1")]
        var first = ArchiveBatch(
            sessions: [old, bare("old2"), kept],
            enqueue: [QueueRequest(kind: "participants", externalID: "old1", version: "v1")])
        first.cursors = [CursorUpdate(stream: "created_at", value: "x")]
        return WriterScenario(
            name:
                "retention removes inactive sessions with their rows and tombstones them; they are never written again",
            steps: [
                .commit(t0, first),
                .act("retention due") { archive in
                    "\(try await archive.backend.retentionDue(sourceID: archive.sourceID, retention: .seconds(3600), now: at(60)))"
                },
                .act("request details of old1") { archive in
                    try await archive.requestDetails(["old1", "keep"], at(30))
                    return "requested"
                },
                .act("remove") { archive in
                    let chunk = try await archive.backend.removeInactiveSessions(
                        sourceID: archive.sourceID, before: at(30), after: 0, now: at(60))
                    try await archive.backend.recordRetention(
                        sourceID: archive.sourceID, retention: .seconds(3600), cutoff: at(30),
                        sessionsDeleted: chunk.removed["sessions"], now: at(60))
                    return "\(chunk.removed) \(chunk.tombstonesAdded) \(chunk.after.map { _ in "more" } ?? "done")"
                },
                .act("retention due after") { archive in
                    let soon = try await archive.backend.retentionDue(
                        sourceID: archive.sourceID, retention: .seconds(3600), now: at(120))
                    let other = try await archive.backend.retentionDue(
                        sourceID: archive.sourceID, retention: .seconds(7200), now: at(120))
                    let tomorrow = try await archive.backend.retentionDue(
                        sourceID: archive.sourceID, retention: .seconds(3600), now: at(60 + 86_400))
                    return "\([soon, other, tomorrow])"
                },
                .act("tombstoned") { archive in
                    let found = try await archive.backend.tombstoned(
                        sourceID: archive.sourceID, externalIDs: ["old1", "old2", "keep", "never"])
                    return "\(found.sorted())"
                },
                .act("drain") { archive in
                    "\(try await archive.backend.drainDetailRequests(sourceName: ArchiveUnderTest.sourceName, sourceID: archive.sourceID, kind: "participants", now: at(90)))"
                },
                .commit(at(120), returning),
            ])
    }()

    static let repeatsInAPass: WriterScenario = {
        var twice = ArchiveBatch(sessions: [meeting(title: "first"), meeting(title: "second"), bare("n1")])
        twice.passStartedAt = t0
        var later = ArchiveBatch(sessions: [meeting(title: "third"), bare("n1"), bare("n2")])
        later.passStartedAt = t0
        var nextPass = ArchiveBatch(sessions: [meeting(title: "fourth"), bare("n2")])
        nextPass.passStartedAt = at(120)
        return WriterScenario(
            name: "a session twice in one batch, and again later in the same pass, counts as new once",
            steps: [
                .commit(t0, twice),
                .commit(at(60), later),
                .commit(at(120), nextPass),
            ])
    }()

    static let manyRows: WriterScenario = {
        func record(edited: Int) -> SessionRecord {
            var record = bare("big", kind: .chat)
            record.children = [
                .pageHistory(
                    (0..<1_234).map {
                        PageVisit(url: "/p/\($0)", visitedAt: at(Int64($0)), type: nil, durationMilliseconds: Int64($0))
                    }),
                // Every 100th message comes twice, the second time edited: the repeats span statements.
                .messages(
                    (0..<1_100).map { message("k\($0)", "body \($0)") }
                        + stride(from: 0, to: 1_100, by: 100).map { message("k\($0)", "body \($0), edited \(edited)") }),
            ]
            return record
        }
        return WriterScenario(
            name: "child sets of more rows than one statement takes are written whole, and counted alike",
            steps: [
                .commit(t0, ArchiveBatch(sessions: [record(edited: 1)])),
                .commit(at(60), ArchiveBatch(sessions: [record(edited: 1)])),
                .commit(at(120), ArchiveBatch(sessions: [record(edited: 2)])),
            ])
    }()

    /// Queue work of many items in one batch, an item repeated (each occurrence meets the item as
    /// the one before left it, as a statement per item does), with some sessions tombstoned and
    /// child sets for sessions of which some are archived, one twice.
    static let batchedQueueWork: WriterScenario = {
        func kept(_ id: String) -> SessionRecord {
            var record = bare(id)
            record.endedAt = at(86_400)
            return record
        }
        var gone = bare("gone")
        gone.endedAt = at(-7200)
        var first = ArchiveBatch(
            sessions: [kept("s1"), kept("s2"), gone],
            enqueue: [
                QueueRequest(kind: "participants", externalID: "a", version: "v1"),
                QueueRequest(kind: "participants", externalID: "a", version: "v1"),
                QueueRequest(kind: "participants", externalID: "b", version: "v1"),
                QueueRequest(kind: "participants", externalID: "b", version: "v2", expiresAt: at(600)),
                QueueRequest(kind: "export", externalID: "b", version: nil),
                QueueRequest(kind: "participants", externalID: "c", version: nil),
                QueueRequest(kind: "participants", externalID: "gone", version: "v1"),
            ])
        first.fulfilled = [
            QueueRequest(kind: "participants", externalID: "d", version: "v1"),
            QueueRequest(kind: "participants", externalID: "d", version: "v2"),
            QueueRequest(kind: "participants", externalID: "a", version: "v1"),
            QueueRequest(kind: "participants", externalID: "e", version: nil),
            QueueRequest(kind: "participants", externalID: "e", version: nil),
        ]
        first.completions = [
            QueueCompletion(kind: "participants", externalID: "b", outcome: .done(version: "v1")),
            QueueCompletion(
                kind: "participants", externalID: "b",
                outcome: .retry(error: "HTTP 503", notBefore: at(90), countsAsAttempt: true, maxAttempts: 2)),
            QueueCompletion(
                kind: "participants", externalID: "b",
                outcome: .retry(error: nil, notBefore: nil, countsAsAttempt: true, maxAttempts: 2)),
            QueueCompletion(kind: "participants", externalID: "c", outcome: .giveUp(error: "gone")),
            QueueCompletion(kind: "participants", externalID: "c", outcome: .done(version: nil)),
            QueueCompletion(
                kind: "export", externalID: "b",
                outcome: .retry(error: "not ready", notBefore: at(30), countsAsAttempt: false, maxAttempts: nil)),
            QueueCompletion(kind: "participants", externalID: "nobody", outcome: .done(version: "v1")),
        ]
        let participants = ChildSet.participants([
            ParticipantRecord(externalID: "p1", displayName: "Host", raw: #"{"id":"p1"}"#)
        ])
        var second = ArchiveBatch(
            sessions: [gone, kept("s1"), kept("s3")],
            sessionChildren: [
                SessionChildren(externalID: "s2", children: [participants]),
                SessionChildren(externalID: "gone", children: [participants, .metadata([])]),
                SessionChildren(externalID: "s3", children: [participants]),
                SessionChildren(externalID: "never", children: [participants]),
                SessionChildren(externalID: "s2", children: [.metadata([])]),
            ],
            enqueue: [
                QueueRequest(kind: "participants", externalID: "gone", version: "v2"),
                QueueRequest(kind: "participants", externalID: "a", version: "v2"),
                QueueRequest(kind: "participants", externalID: "a", version: "v3"),
                QueueRequest(kind: "participants", externalID: "d", version: "v2"),
            ])
        second.fulfilled = [
            QueueRequest(kind: "participants", externalID: "gone", version: "v1"),
            QueueRequest(kind: "participants", externalID: "a", version: "v3"),
            QueueRequest(kind: "participants", externalID: "x", version: "v1"),
        ]
        second.completions = [
            QueueCompletion(kind: "participants", externalID: "gone", outcome: .giveUp(error: "erased")),
            QueueCompletion(kind: "participants", externalID: "x", outcome: .done(version: "v2")),
        ]
        return WriterScenario(
            name: "queue work of many items in one batch, repeats and tombstoned sessions among them",
            steps: [
                .commit(t0, first),
                .act("remove") { archive in
                    let chunk = try await archive.backend.removeInactiveSessions(
                        sourceID: archive.sourceID, before: at(30), after: 0, now: at(60))
                    return "\(chunk.removed) \(chunk.tombstonesAdded)"
                },
                .commit(at(120), second),
                .act("states") { archive in
                    let states = try await archive.backend.queueStates(
                        sourceID: archive.sourceID, kind: "participants",
                        externalIDs: ["a", "b", "c", "d", "e", "gone", "x", "nobody"])
                    return "\(states.sorted { $0.key < $1.key })"
                },
            ])
    }()
}
