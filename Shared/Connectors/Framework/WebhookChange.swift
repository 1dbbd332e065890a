import Foundation
import HubCore

/// What a verified inbound webhook means for the hub's copy of the provider's data.
public enum WebhookChange: Sendable, Equatable {
    /// The event carries the object's new state: write it as a pull would.
    case upsert(entity: String, record: ProviderRecord)
    /// The object is gone at the provider. `final`: its id never comes back (a deleted customer,
    /// product or transaction), so no state of it can be newer than the deletion; an inventory
    /// level disconnected from a location can be connected again.
    case delete(entity: String, externalID: String, final: Bool = true)
    /// Something changed that the event does not carry: pull the entity incrementally.
    case resync(entity: String)
    /// The organization must act on the connection (its credential expired, was revoked, or the
    /// app was uninstalled): `reason` says what, in words fit for them.
    case reauthorize(reason: String)
    /// The event is business news in itself (a payment received, an invoice paid, a dispute
    /// opened): the hub event `type` with `data`. When `unlessSynced` names an entity the
    /// connection pulls, that entity's record write announces it instead, so it is said once.
    case announce(type: String, data: JSONValue, unlessSynced: String?)
}

/// A connector that can tell what its provider's webhook events mean. Events it does not know
/// mean nothing (an empty list): acknowledged and recorded, never an error.
public protocol WebhookInterpreting {
    static func changes(for webhook: VerifiedWebhook) -> [WebhookChange]
    /// Whether events of this type mean something when they carry what they should, so an empty
    /// `changes` can say the event held nothing readable rather than that its type means nothing.
    static func actsOn(eventType: String) -> Bool
}

extension WebhookInterpreting {
    public static func actsOn(eventType: String) -> Bool { false }
}
