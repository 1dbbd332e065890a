import Foundation
import HubCore

/// A delivery a worker claimed for one attempt, with what sending it needs: the exact body, the
/// subscription's URL and its sealed signing secrets.
public struct ClaimedDelivery: Sendable {
    public var id: UUID
    public var organizationID: UUID
    public var subscriptionID: UUID
    /// The attempt this claim makes (1 for the first).
    public var attempt: Int
    /// The attempt's number since the delivery was last resent: what the retry schedule counts.
    public var attemptInBudget: Int
    /// Proves the claim is still this worker's when the result is written.
    public var claimToken: UUID
    public var payload: String
    public var url: String
    public var secret: SealedSecret
    /// The secret a rotation replaced, while its overlap lasts.
    public var previousSecret: SealedSecret?
    /// False when the subscription was disabled or deleted after the delivery was due.
    public var subscriptionActive: Bool
    /// Set when the subscription posts to a Slack channel instead of calling `url`.
    public var slack: SlackTarget? = nil
    /// When this process got the claim: an attempt not started soon enough is given back, since
    /// the lease must outlast it.
    public var claimedAt = ContinuousClock.now

    /// `msg_<uuid>`: the same on every attempt of this delivery, so receivers can deduplicate.
    public var webhookID: String { Self.webhookID(id) }

    /// The UUID's sixteen bytes as lower-case hex (what its string form is without the dashes),
    /// made once per attempt, so without Foundation's string replacing.
    public static func webhookID(_ id: UUID) -> String {
        let u = id.uuid
        return "msg_" + [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15].hexString
    }
}

/// Where a Slack subscription posts: a channel, through one of the organization's Slack connections.
public struct SlackTarget: Sendable, Equatable {
    public var connectionID: UUID
    public var channel: String

    public init(connectionID: UUID, channel: String) {
        self.connectionID = connectionID
        self.channel = channel
    }

    /// The target a subscription row's Slack columns name, nil for a webhook subscription.
    static func from(connection: UUID?, channel: String?) -> SlackTarget? {
        guard let connection, let channel else { return nil }
        return SlackTarget(connectionID: connection, channel: channel)
    }
}
