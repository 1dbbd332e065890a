import Foundation
import HubCore
import HubWebhooks

extension SubscriptionRepository {
    /// The caller's subscription named by the `:id` path parameter, or a 404 (also for another
    /// organization's: it does not exist for the caller).
    func require(_ context: HubRequestContext) async throws -> WebhookSubscription {
        try await require(organization: try context.requireIdentity().organizationID, id: try pathID(context))
    }

    /// The subscription id in the path; a value that is not a UUID names no subscription.
    func pathID(_ context: HubRequestContext) throws -> UUID {
        try context.pathID("id", of: "webhook subscription")
    }
}
