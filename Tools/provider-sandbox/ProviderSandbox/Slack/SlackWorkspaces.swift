import Foundation
import Synchronization

/// Each team's channels and the messages posted to them. A team is seeded on first use with
/// `#general`, `#random`, `#hub-alerts`, a private channel the bot is not in, and enough project
/// channels that `conversations.list` pages. Slack allows about one message per second per
/// channel: a post sooner than that after the last accepted one is refused (429, `Retry-After`).
final class SlackWorkspaces: Sendable {
    struct Channel: Sendable {
        var id: String
        var name: String
        var isPrivate: Bool
        var isMember: Bool
        var created: Int
        var isArchived = false

        var json: [String: Any] {
            [
                "id": id, "name": name, "is_channel": !isPrivate, "is_group": isPrivate, "is_private": isPrivate,
                "is_archived": isArchived, "is_member": isMember, "created": created, "creator": "U0SANDBOX01",
                "topic": ["value": "", "creator": "", "last_set": 0], "purpose": ["value": "", "creator": "", "last_set": 0],
                "num_members": isMember ? 3 : 2,
            ]
        }
    }

    struct Message: Sendable {
        var channel: String
        var ts: String
        /// The message as `chat.postMessage` answers it, JSON-encoded.
        var body: Data
    }

    struct Team: Sendable {
        var channels: [Channel]
        var messages: [Message] = []
        var lastPost: [String: ContinuousClock.Instant] = [:]
        var nextID = 1
    }

    enum PostResult {
        case posted(ts: String, message: [String: Any])
        case refused(String)
        case rateLimited(retryAfter: Int)
    }

    /// The least time between two messages accepted in one channel (Slack's "1 per second"),
    /// less a little for clocks read on either side of a socket.
    static let channelInterval = Duration.milliseconds(950)
    private let teams = Mutex<[String: Team]>([:])
    private let clock = Mutex(0)

    static func seed() -> Team {
        var channels = [
            Channel(id: "C0000000001", name: "general", isPrivate: false, isMember: true, created: 1_700_000_000),
            Channel(id: "C0000000002", name: "random", isPrivate: false, isMember: false, created: 1_700_000_100),
            Channel(id: "C0000000003", name: "hub-alerts", isPrivate: false, isMember: true, created: 1_700_000_200),
            Channel(id: "G0000000004", name: "finance-private", isPrivate: true, isMember: false, created: 1_700_000_300),
        ]
        for n in 5...24 {
            channels.append(
                Channel(
                    id: String(format: "C%010d", n),
                    name: String(format: "project-%02d", n - 4),
                    isPrivate: false,
                    isMember: false,
                    created: 1_700_000_000 + n * 100
                )
            )
        }
        return Team(channels: channels, nextID: 25)
    }

    func withTeam<T>(_ team: String, _ body: (inout Team) -> T) -> T {
        teams.withLock { teams in
            var current = teams[team] ?? Self.seed()
            defer { teams[team] = current }
            return body(&current)
        }
    }

    /// The channels the token's bot can see, in order: public ones and private ones it is in.
    func visibleChannels(_ team: String, types: Set<String>, excludeArchived: Bool) -> [Channel] {
        withTeam(team) { team in
            team.channels.filter { channel in
                guard !(excludeArchived && channel.isArchived) else { return false }
                return channel.isPrivate ? types.contains("private_channel") && channel.isMember : types.contains("public_channel")
            }
        }
    }

    /// One channel by id, as `conversations.info` finds it: nil when it does not exist or is a
    /// private one the bot is not in (Slack answers `channel_not_found` for both).
    func channel(_ team: String, id: String) -> Channel? {
        withTeam(team) { team in
            team.channels.first { $0.id == id && (!$0.isPrivate || $0.isMember) }
        }
    }

    func post(_ team: String, channel: String, botUser: String, fields: [String: Any]) -> PostResult {
        let ts = nextTimestamp()
        return withTeam(team) { team in
            guard let found = team.channels.first(where: { $0.id == channel || $0.name == channel || "#" + $0.name == channel }) else {
                return .refused("channel_not_found")
            }
            // chat:write.public lets a bot post to public channels it has not joined, not to private ones.
            if found.isPrivate && !found.isMember { return .refused("channel_not_found") }
            if found.isArchived { return .refused("is_archived") }
            let now = ContinuousClock.now
            if let last = team.lastPost[found.id], now - last < Self.channelInterval { return .rateLimited(retryAfter: 1) }
            team.lastPost[found.id] = now
            var message: [String: Any] = ["type": "message", "user": botUser, "ts": ts, "bot_id": "B0SANDBOX01", "app_id": "A0SANDBOX01"]
            for key in ["text", "blocks", "attachments", "thread_ts"] where fields[key] != nil { message[key] = fields[key] }
            let body = (try? JSONSerialization.data(withJSONObject: message.merging(["channel": found.id]) { a, _ in a })) ?? Data()
            team.messages.append(Message(channel: found.id, ts: ts, body: body))
            return .posted(ts: ts, message: message.merging(["channel": found.id]) { a, _ in a })
        }
    }

    /// Messages posted to `channel` (every channel when nil), oldest first.
    func messages(_ team: String?, channel: String?) -> [Data] {
        teams.withLock { teams in
            let chosen = team.map { teams[$0].map { [$0] } ?? [] } ?? Array(teams.values)
            return chosen.flatMap(\.messages).filter { channel == nil || $0.channel == channel }.sorted { $0.ts < $1.ts }.map(\.body)
        }
    }

    func addChannel(_ team: String, name: String, isPrivate: Bool, isMember: Bool, isArchived: Bool = false) -> Channel {
        withTeam(team) { team in
            let channel = Channel(
                id: String(format: isPrivate ? "G%010d" : "C%010d", team.nextID),
                name: name,
                isPrivate: isPrivate,
                isMember: isMember,
                created: Int(Date().timeIntervalSince1970),
                isArchived: isArchived
            )
            team.nextID += 1
            team.channels.append(channel)
            return channel
        }
    }

    /// Deletes a channel (as an admin deleting it in Slack); whether it existed.
    func removeChannel(_ team: String, id: String) -> Bool {
        withTeam(team) { team in
            let before = team.channels.count
            team.channels.removeAll { $0.id == id }
            return team.channels.count != before
        }
    }

    func reset() {
        teams.withLock { $0 = [:] }
    }

    /// `<unix seconds>.<6 digits>`, unique and increasing, as Slack's message timestamps are.
    func nextTimestamp() -> String {
        let sequence = clock.withLock { value -> Int in
            value += 1
            return value
        }
        return String(format: "%d.%06d", Int(Date().timeIntervalSince1970), sequence % 1_000_000)
    }
}
