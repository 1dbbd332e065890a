import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Logging

/// The inbound half of webhook-service, assembled from the service's dependencies: the receiver
/// on the request path and the processors behind it, sharing the store and a wake-up.
public struct InboundWebhooks: Sendable {
    public let receiver: InboundWebhookReceiver
    public let store: InboundEventStore
    public let interpreter: InboundEventInterpreter
    let wakeup: DeliveryWakeup
    let concurrency: Int
    let retention: Duration
    let logger: Logger

    public init(dependencies: HubDependencies, vault: CredentialVault) {
        let logger = dependencies.logger
        let connections = ConnectionRepository(client: dependencies.postgres, logger: logger)
        let factory = ConnectorFactory(
            configuration: dependencies.configuration,
            httpClient: dependencies.httpClient,
            logger: logger,
            services: dependencies.services
        )
        let store = InboundEventStore(client: dependencies.postgres, logger: logger)
        let wakeup = DeliveryWakeup()
        self.store = store
        self.wakeup = wakeup
        self.concurrency = dependencies.configuration.webhooks.inboundConcurrency
        self.retention = dependencies.configuration.webhooks.inboundRetention
        self.logger = logger
        receiver = InboundWebhookReceiver(
            factory: factory,
            connections: connections,
            credentials: CredentialStore(repository: connections, vault: vault, logger: logger),
            store: store,
            wakeup: wakeup,
            logger: logger
        )
        interpreter = InboundEventInterpreter(
            registry: factory.registry,
            connections: connections,
            syncs: SyncRepository(client: dependencies.postgres, logger: logger),
            records: RecordStore(client: dependencies.postgres, logger: logger),
            redis: dependencies.redis,
            logger: logger
        )
    }

    /// The processors of stored events, to run beside the HTTP server.
    /// - Parameter deliveries: the delivery workers' wake-up, for the hub events processing accepts.
    public func processor(deliveries: DeliveryWakeup) -> InboundEventProcessor {
        InboundEventProcessor(
            store: store,
            interpreter: interpreter,
            wakeup: wakeup,
            deliveries: deliveries,
            concurrency: concurrency,
            retention: retention,
            logger: logger
        )
    }
}
