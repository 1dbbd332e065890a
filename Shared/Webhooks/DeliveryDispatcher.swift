import Foundation
import HubCore
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Sends due deliveries: those the accepting transaction claimed for this process and handed off
/// in memory (`DeliveryHandoff`), and those it claims from PostgreSQL (`DeliveryQueue`: retries,
/// other replicas' expired leases, events accepted elsewhere). It makes each attempt concurrently
/// within the process's limits (`concurrency` in all, `subscriptionConcurrency` per subscription,
/// each attempt bounded by the timeout) and writes results in batches. Any number of replicas run
/// one each; on SIGTERM it stops taking work, gives back what it had not started, lets the
/// attempts in flight finish and writes their results. Results not written (a crash) are simply
/// due again after the lease.
public struct DeliveryDispatcher: Service {
    public struct Settings: Sendable {
        public var concurrency: Int
        public var subscriptionConcurrency: Int
        public var pollInterval: Duration
        public var leaseMilliseconds: Int
        public var disableAfterSeconds: Int
        /// Longest a claim, a write of results or a disabling may take.
        public var storeDeadline: Duration

        public init(configuration: WebhookConfiguration) {
            concurrency = configuration.concurrency
            subscriptionConcurrency = configuration.subscriptionConcurrency
            pollInterval = .milliseconds(configuration.pollIntervalMilliseconds)
            // Longer than any attempt can take, plus time to write its result.
            leaseMilliseconds = configuration.timeoutMilliseconds + 10_000
            disableAfterSeconds = configuration.disableAfterSeconds
            storeDeadline = configuration.storeDeadline
        }
    }

    let queue: DeliveryQueue
    let sender: DeliverySender
    let clients: PinnedHTTPClients
    let policy: DeliveryRetryPolicy
    let wakeup: DeliveryWakeup
    let settings: Settings
    let logger: Logger
    static let claimBatch = 200

    /// Free room worth a claim when the table has a backlog: half a claim, so a busy dispatcher
    /// claims in batches rather than one claim per finished attempt.
    static func claimThreshold(_ settings: Settings) -> Int {
        max(1, min(claimBatch, settings.concurrency) / 2)
    }

    /// Free room worth a claim for a subscription down to half its limit: that half, or half a
    /// claim if less.
    static func subscriptionClaimRoom(_ settings: Settings) -> Int {
        max(1, min(settings.subscriptionConcurrency / 2, claimThreshold(settings)))
    }
    static let writeBatch = 500
    /// Results of less than a full batch wait this long after the last write began: one commit
    /// for the results of a moment rather than one each, so they add fewer WAL flushes ahead of
    /// the accepting commits publishers wait on. An attempt's slot is free before its result is
    /// written, so this delays the delivery log, not deliveries.
    static let writeInterval = Duration.milliseconds(20)
    /// A claimed delivery not started within this is given back: the lease (the timeout plus
    /// ten seconds) must outlast its attempt, or another replica could claim it meanwhile.
    static let startWithin = Duration.seconds(5)

    /// The dispatcher for a service's configuration.
    public init(
        postgres: PostgresClient,
        vault: CredentialVault,
        configuration: WebhookConfiguration,
        urlGuard: URLGuard,
        wakeup: DeliveryWakeup,
        slack: SlackPoster? = nil,
        logger: Logger
    ) {
        let timeout = TimeAmount.milliseconds(Int64(configuration.timeoutMilliseconds))
        // Subscriptions on one host share its connection pool; sized to the process's whole
        // concurrency so one subscription's slow requests never queue another's behind them.
        let clients = PinnedHTTPClients(connectionsPerHost: configuration.concurrency, timeout: timeout)
        self.queue = DeliveryQueue(client: postgres, logger: logger)
        self.sender = DeliverySender(urlGuard: urlGuard, vault: vault, clients: clients, timeout: timeout, slack: slack, logger: logger)
        self.clients = clients
        self.policy = DeliveryRetryPolicy(configuration: configuration)
        self.wakeup = wakeup
        self.settings = Settings(configuration: configuration)
        self.logger = logger
    }

    public func run() async throws {
        let state = SharedState()
        let mailbox = wakeup.handoff.open(leaseSeconds: Double(settings.leaseMilliseconds) / 1000) { [settings] in
            state.withLock { $0.room(settings) }
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await writeResults(state) }
                group.addTask { await clients.shutDownEvicted() }
                await claimLoop(state, mailbox: mailbox, group: &group)
                clients.finishEvictions()
                // Nothing more is handed off; what waits here goes back to the table at once.
                let leftovers = wakeup.handoff.close(mailbox)
                state.withLock {
                    $0.releaseQueued(leftovers)
                    $0.closed = true
                }
                state.resultsReady.signal()
            }
        } onGracefulShutdown: {
            state.withLock { $0.stopping = true }
            wakeup.signal()
        }
        await clients.shutdown()
    }

    func claimLoop(_ state: SharedState, mailbox: UUID, group: inout DiscardingTaskGroup) async {
        var claimedAtSignal = wakeup.tableSignals &- 1
        var lastClaim = ContinuousClock.now - settings.pollInterval
        while !Task.isCancelled {
            let handedOff = wakeup.handoff.take(mailbox)
            let signals = wakeup.tableSignals
            let (stopping, free, held, due) = state.withLock { state in
                for delivery in handedOff.deliveries { state.enqueue(delivery) }
                state.cappedInTable.formUnion(handedOff.leftInTable)
                state.claimSignalled = false
                return (state.stopping, state.free(settings), state.held, state.claimDue(settings))
            }
            if stopping { return }
            // What was handed off starts before any claim query.
            start(state, group: &group)
            let asked = signals != claimedAtSignal || ContinuousClock.now - lastClaim >= settings.pollInterval
            if asked || due {
                claimedAtSignal = signals
                if free <= 0 {
                    // No room for what the table has: claim it once room comes back.
                    state.withLock { $0.tableBacklog = true }
                } else {
                    lastClaim = .now
                    let limit = min(free, Self.claimBatch)
                    do {
                        let claimed = try await Self.abandonedWhenStopping {
                            try await withDeadline(settings.storeDeadline, "claiming webhook deliveries") {
                                [queue, settings, held] in
                                try await queue.claim(
                                    limit: limit,
                                    perSubscription: settings.subscriptionConcurrency,
                                    inFlight: held,
                                    leaseMilliseconds: settings.leaseMilliseconds
                                )
                            }
                        }
                        state.withLock { $0.took(claimed, limit: limit, inFlight: held, settings: settings) }
                    } catch is CancellationError where Task.isShuttingDownGracefully {
                        continue  // abandoned for the shutdown; the loop's top returns
                    } catch {
                        logger.error("claiming webhook deliveries failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                        start(state, group: &group)
                        await wakeup.wait(timeout: .seconds(1))
                        continue
                    }
                }
            }
            start(state, group: &group)
            if !state.withLock({ $0.claimDue(settings) }) { await wakeup.wait(timeout: settings.pollInterval) }
        }
    }

    /// How long a claim in flight may still answer once the service is stopping. A healthy store
    /// answers in milliseconds, and what it claimed goes back to the table at once; on a store
    /// that is down the claim would hold the shutdown for its whole deadline, so it is abandoned
    /// (CancellationError) and what it claimed, if anything, comes back with the lease.
    static let claimPatienceWhenStopping = Duration.seconds(2)

    static func abandonedWhenStopping<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await gracefulShutdown()
                try await Task.sleep(for: claimPatienceWhenStopping)
                return nil
            }
            defer { group.cancelAll() }
            // The first to end: the claim's answer, or nil once the patience ran out.
            guard let first = try await group.next(), let value = first else { throw CancellationError() }
            return value
        }
    }

    /// Starts an attempt for every queued delivery the limits allow; each goes on with the next
    /// one queued when it ends.
    func start(_ state: SharedState, group: inout DiscardingTaskGroup) {
        while let delivery = state.withLock({ $0.next(preferring: nil, settings: settings) }) {
            group.addTask { await attempt(delivery, state) }
        }
    }

    func attempt(_ first: ClaimedDelivery, _ state: SharedState) async {
        var delivery = first
        while true {
            let outcome = await sender.send(delivery)
            let decision = delivery.subscriptionActive ? policy.decide(outcome, attempt: delivery.attemptInBudget) : .failed
            Self.attemptCounters[Self.label(decision)]?.increment()
            let result = DeliveryQueue.Result(delivery: delivery, outcome: outcome, decision: decision)
            let (next, firstResult, wakeClaimLoop) = state.withLock { state in
                let (next, wake) = state.finish(result, settings: settings)
                return (next, state.results.count == 1, wake)
            }
            if firstResult { state.resultsReady.signal() }
            if wakeClaimLoop { wakeup.signalHandoff() }
            guard let next else { return }
            delivery = next
        }
    }

    /// `hub_webhook_attempts_total{outcome}`, made once (a counter per attempt would look the
    /// registry up every time).
    static let attemptCounters = Dictionary(
        uniqueKeysWithValues: ["delivered", "retry", "failed", "gone"].map {
            ($0, Counter(label: "hub_webhook_attempts_total", dimensions: [("outcome", $0)]))
        }
    )

    static func label(_ decision: DeliveryRetryPolicy.Decision) -> String {
        switch decision {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        case .gone: "gone"
        }
    }
}
