/// Why a webhook subscription or event request could not be done. The service edge maps each
/// case to its HTTP answer.
public enum WebhookError: Error, Sendable, Equatable {
    /// The organization has no (undeleted) subscription with this id.
    case subscriptionNotFound
    /// An event id already used by another organization: never this caller's event.
    case eventIDConflict
}
