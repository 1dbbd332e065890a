import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import HubSync
import Hummingbird
import ServiceLifecycle

/// Runs sync jobs from the job stream (`JobConsumer` → `JobRunner`), schedules periodic syncs
/// (`SyncScheduler`, one replica at a time), and relays the events syncs produce (`OutboxRelay`),
/// keeping them a while after (`OutboxPrune`); old job history goes too (`SyncJobRetention`).
/// Any number of replicas run together.
public enum SyncWorker {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        HubApplication.build(dependencies: dependencies, openAPI: try openAPI(), backgroundServices: backgroundServices(dependencies)) { _ in }
    }

    /// The worker's loops, for `buildApplication` and for tests that run a worker in-process.
    public static func backgroundServices(_ dependencies: HubDependencies, name: String? = nil) -> [any Service] {
        let settings = dependencies.configuration.sync
        let logger = dependencies.logger
        let syncs = SyncRepository(client: dependencies.postgres, logger: logger)
        let outbox = EventOutbox(client: dependencies.postgres, redis: dependencies.redis, logger: logger)
        let worker = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        let runner = JobRunner(
            syncs: syncs,
            records: RecordStore(client: dependencies.postgres, logger: logger),
            // No retries inside the transport: the job's loop retries, each attempt under the
            // shared rate limiter and counted against the job's retry budget.
            lifecycle: ConnectionLifecycle(dependencies: dependencies, retry: .none),
            limiter: ProviderRateLimiter(redis: dependencies.redis),
            lock: RedisLock(client: dependencies.redis),
            postgres: dependencies.postgres,
            settings: settings,
            worker: worker,
            logger: logger
        )
        let jobs = SyncJobStream.queue(
            dependencies.redis,
            syncs: syncs,
            silentFor: .seconds(settings.lockTTLSeconds),
            deadline: min(settings.storeDeadline, .seconds(60)),
            logger: logger
        )
        return [
            JobConsumer(
                queue: jobs,
                runner: runner,
                slots: OrganizationJobSlots(
                    redis: dependencies.redis,
                    cap: settings.organizationConcurrency,
                    ttl: .seconds(settings.lockTTLSeconds)
                ),
                consumer: worker,
                concurrency: settings.concurrency,
                claimIdle: .seconds(settings.claimIdleSeconds),
                logger: logger
            ),
            SyncScheduler(
                syncs: syncs,
                redis: dependencies.redis,
                jobs: jobs,
                interval: .seconds(settings.schedulerIntervalSeconds),
                republishAfter: .seconds(settings.republishAfterSeconds),
                silentAfter: .seconds(settings.lockTTLSeconds),
                roundDeadline: min(settings.storeDeadline, .seconds(30)),
                logger: logger
            ),
            OutboxRelay(outbox: outbox, logger: logger),
            OutboxPrune(outbox: outbox, retention: .seconds(60 * settings.outboxRetentionMinutes), interval: .seconds(60), logger: logger),
            SyncJobRetention(client: dependencies.postgres, retention: settings.jobRetention, logger: logger),
        ]
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
