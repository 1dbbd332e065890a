import Foundation
import HubCore
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Sends due deliveries: claims them from PostgreSQL (`DeliveryQueue`), makes each attempt
/// concurrently within the process's limits (`concurrency` in all, `subscriptionConcurrency` per
/// subscription, each attempt bounded by the timeout), and writes results in batches. Any number
/// of replicas run one each; on SIGTERM it stops claiming, lets the attempts in flight finish and
/// writes their results. Results not written (a crash) are simply due again after the lease.
public struct DeliveryDispatcher: Service {
    public struct Settings: Sendable {
        public var concurrency: Int
        public var subscriptionConcurrency: Int
        public var pollInterval: Duration
        public var leaseMilliseconds: Int
        public var disableAfterSeconds: Int

        public init(configuration: WebhookConfiguration) {
            concurrency = configuration.concurrency
            subscriptionConcurrency = configuration.subscriptionConcurrency
            pollInterval = .milliseconds(configuration.pollIntervalMilliseconds)
            // Longer than any attempt can take, plus time to write its result.
            leaseMilliseconds = configuration.timeoutMilliseconds + 10_000
            disableAfterSeconds = configuration.disableAfterSeconds
        }
    }

    let queue: DeliveryQueue
    let sender: DeliverySender
    let clients: PinnedHTTPClients
    let policy: RetryPolicy
    let wakeup: DeliveryWakeup
    let settings: Settings
    /// Whether the schema is migrated; nothing is claimed before.
    let schemaReady: @Sendable () -> Bool
    let logger: Logger
    static let claimBatch = 200
    static let claimGathering = Duration.milliseconds(2)
    static let writeBatch = 500

    /// The dispatcher for a service's configuration.
    public init(
        postgres: PostgresClient, vault: CredentialVault, configuration: WebhookConfiguration, urlGuard: URLGuard,
        wakeup: DeliveryWakeup, schemaReady: @escaping @Sendable () -> Bool = { true }, logger: Logger
    ) {
        let timeout = TimeAmount.milliseconds(Int64(configuration.timeoutMilliseconds))
        // Subscriptions on one host share its connection pool; sized to the process's whole
        // concurrency so one subscription's slow requests never queue another's behind them.
        let clients = PinnedHTTPClients(connectionsPerHost: configuration.concurrency, timeout: timeout)
        self.queue = DeliveryQueue(client: postgres, logger: logger)
        self.sender = DeliverySender(urlGuard: urlGuard, vault: vault, clients: clients, timeout: timeout, logger: logger)
        self.clients = clients
        self.policy = RetryPolicy(configuration: configuration)
        self.wakeup = wakeup
        self.settings = Settings(configuration: configuration)
        self.schemaReady = schemaReady
        self.logger = logger
    }

    struct State {
        var inFlight = 0
        var perSubscription: [UUID: Int] = [:]
        var results: [DeliveryQueue.Result] = []
        var stopping = false
    }

    /// The state the claim loop, the attempts and the result writer share.
    final class SharedState: Sendable {
        let mutex = Mutex(State())

        func withLock<T>(_ body: (inout State) -> T) -> T {
            mutex.withLock { body(&$0) }
        }
    }

    public func run() async throws {
        let state = SharedState()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await writeResults(state) }
                await claimLoop(state, group: &group)
            }
        } onGracefulShutdown: {
            state.withLock { $0.stopping = true }
            wakeup.signal()
        }
        await clients.shutdown()
    }

    func claimLoop(_ state: SharedState, group: inout DiscardingTaskGroup) async {
        while !Task.isCancelled {
            let (stopping, free, inFlight) = state.withLock { ($0.stopping, settings.concurrency - $0.inFlight, $0.perSubscription) }
            if stopping { return }
            guard free > 0, schemaReady() else {
                await wakeup.wait(timeout: settings.pollInterval)
                continue
            }
            let limit = min(free, Self.claimBatch)
            let claimed: [ClaimedDelivery]
            do {
                claimed = try await queue.claim(
                    limit: limit, perSubscription: settings.subscriptionConcurrency, inFlight: inFlight,
                    leaseMilliseconds: settings.leaseMilliseconds)
            } catch {
                logger.error("claiming webhook deliveries failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                await wakeup.wait(timeout: .seconds(1))
                continue
            }
            for delivery in claimed {
                state.withLock {
                    $0.inFlight += 1
                    $0.perSubscription[delivery.subscriptionID, default: 0] += 1
                }
                group.addTask { await attempt(delivery, state) }
            }
            if claimed.count < limit {
                await wakeup.wait(timeout: settings.pollInterval)
                // New events arrive one commit at a time; a moment's pause lets a burst of them
                // be claimed by one query instead of one query each.
                try? await Task.sleep(for: Self.claimGathering)
            }
        }
    }

    func attempt(_ delivery: ClaimedDelivery, _ state: SharedState) async {
        let outcome = await sender.send(delivery)
        let decision = delivery.subscriptionActive ? policy.decide(outcome, attempt: delivery.attemptInBudget) : .failed
        Self.attemptCounters[Self.label(decision)]?.increment()
        let wake = state.withLock { state -> Bool in
            state.results.append(DeliveryQueue.Result(delivery: delivery, outcome: outcome, decision: decision))
            let globalWasFull = state.inFlight >= settings.concurrency
            state.inFlight -= 1
            let remaining = (state.perSubscription[delivery.subscriptionID] ?? 1) - 1
            state.perSubscription[delivery.subscriptionID] = remaining > 0 ? remaining : nil
            // Wake the claimer when capacity it was waiting for came back, in halves, so a
            // saturated subscription is topped up by batches rather than one claim per reply.
            return (globalWasFull && state.inFlight <= settings.concurrency / 2)
                || remaining == settings.subscriptionConcurrency / 2
        }
        if wake { wakeup.signal() }
    }

    /// Writes results in batches until the dispatcher stops and everything in flight is written.
    func writeResults(_ state: SharedState) async {
        var failures = 0
        while true {
            let (batch, done) = state.withLock { state -> ([DeliveryQueue.Result], Bool) in
                let batch = Array(state.results.prefix(Self.writeBatch))
                state.results.removeFirst(batch.count)
                return (batch, state.stopping && state.inFlight == 0 && state.results.isEmpty)
            }
            if batch.isEmpty {
                if done { return }
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            do {
                let disable = try await queue.record(batch, disableAfterSeconds: settings.disableAfterSeconds)
                failures = 0
                for (subscription, reason) in disable {
                    if try await queue.disable(subscription: subscription, reason: reason) { wakeup.signal() }
                }
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.error("writing webhook attempt results failed", metadata: ["error": "\(String(reflecting: error))"])
                // Kept for another try; past a few tries while stopping, the leases bring them back instead.
                if state.withLock({ $0.stopping }) && failures > 3 { return }
                state.withLock { $0.results.insert(contentsOf: batch, at: 0) }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// `hub_webhook_attempts_total{outcome}`, made once (a counter per attempt would look the
    /// registry up every time).
    static let attemptCounters = Dictionary(
        uniqueKeysWithValues: ["delivered", "retry", "failed", "gone"].map {
            ($0, Counter(label: "hub_webhook_attempts_total", dimensions: [("outcome", $0)]))
        })

    static func label(_ decision: RetryPolicy.Decision) -> String {
        switch decision {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        case .gone: "gone"
        }
    }
}
