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

    /// The deliveries this process holds (queued here or being attempted), the results not yet
    /// written, and the claims to give back.
    struct State {
        var running = 0
        var runningBySubscription: [UUID: Int] = [:]
        /// Per subscription: attempts running plus deliveries queued here (what a claim counts).
        var held: [UUID: Int] = [:]
        /// Claimed deliveries waiting for a place, first in first out per subscription.
        var queued: [UUID: [ClaimedDelivery]] = [:]
        var queuedCount = 0
        var results: [DeliveryQueue.Result] = []
        /// Claims given back unattempted (not started in time, or the dispatcher stopped).
        var released: [ClaimedDelivery] = []
        var stopping = false
        /// The claim loop ended: nothing more is queued or handed off.
        var closed = false
        /// More is probably due in the table than this process took: the last claim filled its
        /// limit, or the table had work when there was no room to claim it.
        var tableBacklog = false
        /// Subscriptions with due deliveries probably left in the table because this process
        /// held as many of theirs as it may run: the last claim stopped at their limit, or an
        /// accept found them saturated.
        var cappedInTable: Set<UUID> = []
        /// The claim loop was woken for a claim and has not looked yet (one wake-up is enough).
        var claimSignalled = false

        mutating func enqueue(_ delivery: ClaimedDelivery) {
            queued[delivery.subscriptionID, default: []].append(delivery)
            queuedCount += 1
            held[delivery.subscriptionID, default: 0] += 1
        }

        /// The next queued delivery allowed to start now, `subscription`'s first, counted as
        /// running. A claim held here too long to be attempted within its lease is released.
        mutating func next(preferring subscription: UUID?, settings: Settings) -> ClaimedDelivery? {
            guard !stopping, running < settings.concurrency, queuedCount > 0 else { return nil }
            if let subscription, let delivery = pop(subscription, settings: settings) { return delivery }
            for subscription in Array(queued.keys) {
                if let delivery = pop(subscription, settings: settings) { return delivery }
            }
            return nil
        }

        private mutating func pop(_ subscription: UUID, settings: Settings) -> ClaimedDelivery? {
            let now = ContinuousClock.now
            while (runningBySubscription[subscription] ?? 0) < settings.subscriptionConcurrency, queued[subscription] != nil {
                let delivery = queued[subscription]!.removeFirst()
                if queued[subscription]!.isEmpty { queued[subscription] = nil }
                queuedCount -= 1
                guard now - delivery.claimedAt < DeliveryDispatcher.startWithin else {
                    released.append(delivery)
                    drop(subscription)
                    continue
                }
                running += 1
                runningBySubscription[subscription, default: 0] += 1
                return delivery
            }
            return nil
        }

        mutating func drop(_ subscription: UUID) {
            let remaining = (held[subscription] ?? 1) - 1
            held[subscription] = remaining > 0 ? remaining : nil
        }

        /// Records an attempt's result; returns the next delivery to attempt in its place, and
        /// whether the claim loop should be woken to claim from the table.
        mutating func finish(_ result: DeliveryQueue.Result, settings: Settings) -> (next: ClaimedDelivery?, wakeClaimLoop: Bool) {
            let subscription = result.delivery.subscriptionID
            results.append(result)
            running -= 1
            let runningHere = (runningBySubscription[subscription] ?? 1) - 1
            runningBySubscription[subscription] = runningHere > 0 ? runningHere : nil
            drop(subscription)
            var wake = false
            // Room for a subscription's claim coming back lets every marked subscription count, not
            // only this one.
            let roomCameBack = free(settings) == DeliveryDispatcher.subscriptionClaimRoom(settings)
            if !claimSignalled, claimDue(settings, after: subscription) || (roomCameBack && claimDue(settings)) {
                claimSignalled = true
                wake = true
            }
            return (next(preferring: subscription, settings: settings), wake)
        }

        /// Places neither running nor promised to a queued delivery.
        func free(_ settings: Settings) -> Int {
            settings.concurrency - running - queuedCount
        }

        /// Whether a claim from the table is worth making before the poll: with a backlog there,
        /// once half a claim's worth of room is free here; for a subscription with deliveries left
        /// there, once it is down to half its limit. Level, not edge: a claim that took less than
        /// expected (attempts ended while it ran) is followed by another at once, not by the poll, so
        /// a one-subscription backlog does not drain at one claim per poll.
        ///
        /// `after`: only that subscription is checked, its count having just changed (an attempt of
        /// its ended). The room changed for all; `finish` checks them all when it comes back.
        func claimDue(_ settings: Settings, after subscription: UUID? = nil) -> Bool {
            let free = self.free(settings)
            guard !stopping, free > 0 else { return false }
            if tableBacklog && free >= DeliveryDispatcher.claimThreshold(settings) { return true }
            // Not a claim per finished attempt while the process is full: room for a worthwhile claim first.
            guard free >= DeliveryDispatcher.subscriptionClaimRoom(settings) else { return false }
            let half = settings.subscriptionConcurrency / 2
            if let subscription {
                return cappedInTable.contains(subscription) && held[subscription, default: 0] <= half
            }
            return cappedInTable.contains { held[$0, default: 0] <= half }
        }

        /// Takes what a claim from the table returned, and what it tells of the table: a claim
        /// that filled its limit leaves a backlog; one that stopped at a subscription's limit
        /// leaves that subscription's. Subscriptions the claim skipped (already at their limit)
        /// keep what was known of them.
        mutating func took(_ claimed: [ClaimedDelivery], limit: Int, inFlight: [UUID: Int], settings: Settings) {
            var counts: [UUID: Int] = [:]
            for delivery in claimed {
                enqueue(delivery)
                counts[delivery.subscriptionID, default: 0] += 1
            }
            tableBacklog = claimed.count >= limit
            cappedInTable = cappedInTable.filter { inFlight[$0, default: 0] >= settings.subscriptionConcurrency }
            for (subscription, count) in counts where count >= settings.subscriptionConcurrency - inFlight[subscription, default: 0] {
                cappedInTable.insert(subscription)
            }
        }

        /// What a hand-off may add now.
        func room(_ settings: Settings) -> DeliveryHandoff.Room {
            guard !stopping else { return DeliveryHandoff.Room(free: 0, saturated: []) }
            return DeliveryHandoff.Room(
                free: free(settings),
                saturated: held.compactMap { $0.value >= settings.subscriptionConcurrency ? $0.key : nil }
            )
        }

        /// Gives back everything queued here and not started.
        mutating func releaseQueued(_ more: [ClaimedDelivery]) {
            for (_, deliveries) in queued { released.append(contentsOf: deliveries) }
            released.append(contentsOf: more)
            queued = [:]
            queuedCount = 0
        }
    }

    /// The state the claim loop, the attempts and the result writer share.
    final class SharedState: Sendable {
        let mutex = Mutex(State())
        /// Wakes the result writer when there is something to write.
        let resultsReady = DeliveryWakeup()

        func withLock<T>(_ body: (inout State) -> T) -> T {
            mutex.withLock { body(&$0) }
        }
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
                            try await withDeadline(Self.storeDeadline, "claiming webhook deliveries") {
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

    /// Writes results (and gives back released claims) in batches until the dispatcher stops and
    /// everything in flight is written.
    /// Longest a claim or a write of results may take; a healthy one takes milliseconds.
    static let storeDeadline = Duration.seconds(15)

    func writeResults(_ state: SharedState) async {
        var failures = 0
        while true {
            let (batch, released, done) = state.withLock { state -> ([DeliveryQueue.Result], [ClaimedDelivery], Bool) in
                let batch = Array(state.results.prefix(Self.writeBatch))
                state.results.removeFirst(batch.count)
                let released = state.released
                state.released = []
                return (batch, released, state.closed && state.running == 0 && state.results.isEmpty)
            }
            if batch.isEmpty && released.isEmpty {
                if done { return }
                await state.resultsReady.wait(timeout: .seconds(1))
                continue
            }
            do {
                // A statement stuck on a connection that died must not stop every later result:
                // past the deadline the batch is kept and written again (writing twice is harmless).
                let disable = try await write(batch, releasing: released)
                failures = 0
                try await self.disable(disable)
            } catch is CancellationError where Task.isCancelled {
                return
            } catch is RefusedResults {
                // A result the table refuses (its delivery row gone) would fail every batch it is
                // in and hold back all later results: each is written alone, and what is refused dropped.
                state.withLock { $0.released.append(contentsOf: released) }
                await writeOneByOne(batch, state)
            } catch {
                failures += 1
                logger.error("writing webhook attempt results failed", metadata: ["error": "\(String(reflecting: error))"])
                // Kept for another try; past a few tries while stopping, the leases bring them back instead.
                if state.withLock({ $0.stopping }) && failures > 3 { return }
                state.withLock {
                    $0.results.insert(contentsOf: batch, at: 0)
                    $0.released.append(contentsOf: released)
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// PostgreSQL refused a batch of results for its data (SQLSTATE class 22 or 23).
    struct RefusedResults: Error {
        let error: any Error
    }

    /// Gives back `released` and writes `batch`; the subscriptions to disable.
    func write(
        _ batch: [DeliveryQueue.Result],
        releasing released: [ClaimedDelivery] = []
    ) async throws -> [(subscription: UUID, reason: String, gone: Bool)] {
        do {
            let disable = try await withDeadline(Self.storeDeadline, "writing webhook attempt results") { [queue, settings] in
                if !released.isEmpty { try await queue.release(released) }
                return try await queue.record(batch, disableAfterSeconds: settings.disableAfterSeconds)
            }
            if !released.isEmpty { wakeup.signal() }
            return disable
        } catch let error where PostgresError.refusesData(error) {
            throw RefusedResults(error: error)
        }
    }

    func disable(_ subscriptions: [(subscription: UUID, reason: String, gone: Bool)]) async throws {
        for (subscription, reason, gone) in subscriptions {
            if try await queue.disable(subscription: subscription, reason: reason, gone: gone) { wakeup.signal() }
        }
    }

    /// Writes a refused batch one result at a time, dropping a result refused alone. At the first
    /// other failure (the store went away meanwhile) the rest go back to the front of the queue,
    /// for the loop's usual retry.
    func writeOneByOne(_ batch: [DeliveryQueue.Result], _ state: SharedState) async {
        for (index, result) in batch.enumerated() {
            do {
                let disable = try await write([result])
                try await self.disable(disable)
            } catch let refused as RefusedResults {
                logger.error(
                    "a webhook attempt result the database refuses was dropped",
                    metadata: ["delivery_id": "\(result.delivery.id)", "error": "\(String(reflecting: refused.error))"]
                )
            } catch {
                state.withLock { $0.results.insert(contentsOf: batch[index...], at: 0) }
                return
            }
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
