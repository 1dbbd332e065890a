import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubWebhooks
import Logging
import ServiceLifecycle

/// What the webhook routes and loops share, built once from the service's dependencies.
public struct WebhookComponents: Sendable {
    public let catalog: EventCatalog
    public let events: EventStore
    public let subscriptions: SubscriptionRepository
    public let deliveries: DeliveryRepository
    public let urlGuard: URLGuard
    public let wakeup: DeliveryWakeup
    public let configuration: WebhookConfiguration
    /// Provider webhooks coming in: `POST /webhooks/{provider}` and their processing.
    public let inbound: InboundWebhooks
    /// Posts Slack subscriptions' messages with their connections' tokens (from oauth-service).
    public let slack: SlackPoster
    /// The organizations' Zapier API keys, which authenticate the Zapier routes.
    public let zapierKeys: ZapierKeyStore
    let vault: CredentialVault
    let dependencies: HubDependencies

    /// - Parameter resolver: how host names resolve (tests substitute one).
    public init(dependencies: HubDependencies, resolver: any HostResolver = SystemHostResolver(), wakeup: DeliveryWakeup = DeliveryWakeup()) throws {
        let configuration = dependencies.configuration
        let logger = dependencies.logger
        self.dependencies = dependencies
        self.configuration = configuration.webhooks
        self.vault = configuration.vault()
        self.catalog = EventCatalog()
        self.events = EventStore(client: dependencies.postgres, logger: logger)
        self.subscriptions = SubscriptionRepository(client: dependencies.postgres, vault: vault, logger: logger)
        self.deliveries = DeliveryRepository(client: dependencies.postgres, logger: logger)
        self.urlGuard = try URLGuard(configuration: configuration.webhooks, resolver: resolver)
        self.wakeup = wakeup
        self.zapierKeys = ZapierKeyStore(client: dependencies.postgres, logger: logger)
        self.inbound = InboundWebhooks(dependencies: dependencies, vault: vault)
        // No transport retries: chat.postMessage is not idempotent; the delivery's schedule retries.
        self.slack = SlackPoster(
            lifecycle: ConnectionLifecycle(dependencies: dependencies, retry: .none),
            uiOrigin: configuration.uiOrigin,
            redis: dependencies.redis,
            logger: logger
        )
    }

    /// The delivery workers, the inbound event processors, the outbound retention and (unless told
    /// otherwise) the hub event consumer, to run beside the HTTP server.
    public func backgroundServices(name: String? = nil, consumeHubEvents: Bool = true) -> [any Service] {
        let worker = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        var services: [any Service] = [
            DeliveryDispatcher(
                postgres: dependencies.postgres,
                vault: vault,
                configuration: configuration,
                urlGuard: urlGuard,
                wakeup: wakeup,
                slack: slack,
                logger: dependencies.logger
            )
        ]
        services.append(
            inbound.processor(deliveries: wakeup)
        )
        services.append(
            WebhookRetention(
                client: dependencies.postgres,
                retention: configuration.retention,
                logger: dependencies.logger
            )
        )
        if consumeHubEvents {
            services.append(
                HubEventConsumer(
                    redis: dependencies.redis,
                    events: events,
                    wakeup: wakeup,
                    consumer: worker,
                    logger: dependencies.logger
                )
            )
        }
        return services
    }
}
