import HubCore
import HubWebhooks
import Hummingbird

/// Outbound webhooks: the event catalog, events published by the accounting product or read from
/// the hub's event stream, each organization's subscriptions, and signed deliveries from a
/// durable outbox in PostgreSQL, retried on a schedule, with a delivery log, resend and recover.
/// Any number of replicas share the delivery work.
public enum WebhookService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        let components = try WebhookComponents(dependencies: dependencies)
        return HubApplication.build(
            dependencies: dependencies,
            openAPI: try openAPI(),
            backgroundServices: components.backgroundServices()
        ) { routes in
            addRoutes(to: routes, components: components)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes, components: WebhookComponents) {
        EventRoutes(components: components).add(to: routes.api)
        let subscriptions = routes.api.group("integrations/webhooks/subscriptions")
        let subscription = subscriptions.group(":id")
        SubscriptionRoutes(components: components).add(all: subscriptions, one: subscription)
        DeliveryRoutes(components: components).add(to: subscription)
        DeliveryRoutes(components: components).addStats(to: routes.api.group("integrations/webhooks"))
        InboundRoutes(inbound: components.inbound).add(to: routes.router)
        InboundEventRoutes(inbound: components.inbound).add(to: routes.api)
        ZapierRoutes(components: components, keys: components.zapierKeys).add(api: routes.api, zapier: routes.zapier(keys: components.zapierKeys))
    }

    /// The routes for a service's dependencies (what the OpenAPI conformance test builds).
    public static func addRoutes(to routes: HubRoutes, dependencies: HubDependencies) throws {
        addRoutes(to: routes, components: try WebhookComponents(dependencies: dependencies))
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
