import BenchmarkSupport
import ConnectionService
import Foundation
import HubCore
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// One measured pull: a fresh database (migrated by connection-service, which runs in this
/// process to take the API calls), `workers` sync-worker processes, and organizations each with
/// one connection (one per provider is the rule) pulling the entities `organizations[i]` names in
/// full, all triggered at once in organization order. One job is one (connection, entity) pair,
/// which one worker holds for the whole job; more workers share out more jobs.
struct WorkerPull {
    struct Figures {
        var workers: Int
        var jobs: Int
        /// Live rows in the store at the end (every job's records).
        var records: Int
        /// From the first trigger until every job was seen finished (polled every 100 ms).
        var wallSeconds: Double
        /// Each job's own started → finished time, as the job row records it.
        var jobSeconds: [Double]
        /// Each job's organization (its index in `organizations`) and its trigger → finished time
        /// (the row's `created_at` to `finished_at`, both by PostgreSQL's clock), and when it finished
        /// (Unix seconds).
        var triggerToFinish: [(organization: Int, seconds: Double, finished: Double)]
        var pages: Int
        /// Resident memory of each worker before the pull, at 25/50/100 % of the records, and its peak.
        var idleRSS: [Int?]
        var rssAt: [(percent: Int, bytes: [Int?])]
        var peakRSS: [Int?]
        /// Requests the sandbox answered 429 during the pull (QuickBooks), filled in by the caller.
        var rejections: Int?
        /// CPU seconds each part spent from the first trigger until every event was relayed.
        var cpu: CPUCost
        /// The same records pulled again in full, none changed (`--repull`).
        var repull: Repull?

        var recordsPerSecond: Double { Double(records) / wallSeconds }

        /// Each organization's trigger → finish time: its last job's.
        var perOrganization: [Double] {
            Dictionary(grouping: triggerToFinish, by: \.organization).values.map { $0.map(\.seconds).max() ?? 0 }
        }
    }

    /// A second, full pull of records the store already holds unchanged: what a full resync
    /// costs when nothing changed at the provider.
    struct Repull {
        var records: Int
        var skipped: Int
        var updated: Int
        var wallSeconds: Double
        var cpu: CPUCost
    }

    /// CPU seconds of the processes a pull involves; nil where a process is not on this machine.
    struct CPUCost {
        var workers: Double
        var postgres: Double?
        var sandbox: Double
        var redis: Double?

        /// The hub's own part: sync-worker and PostgreSQL.
        var hub: Double? { postgres.map { workers + $0 } }
        var total: Double? { hub.map { $0 + sandbox + (redis ?? 0) } }

        /// The processes' CPU seconds so far (subtract two readings for a pull's).
        static func read(workers: [Int32], postmaster: Int32?, sandbox: Int32, redis: Int32?) -> CPUCost {
            CPUCost(
                workers: ProcessCPU.seconds(workers),
                postgres: postmaster.flatMap { ProcessCPU.cluster(postmaster: $0) },
                sandbox: ProcessCPU.seconds([sandbox]),
                redis: redis.map { ProcessCPU.seconds([$0]) }
            )
        }

        static func - (after: CPUCost, before: CPUCost) -> CPUCost {
            CPUCost(
                workers: after.workers - before.workers,
                postgres: after.postgres.flatMap { a in before.postgres.map { a - $0 } },
                sandbox: after.sandbox - before.sandbox,
                redis: after.redis.flatMap { a in before.redis.map { a - $0 } }
            )
        }
    }

    /// Makes one connection for an organization; returns its id.
    typealias Connect = @Sendable (_ api: HubAPI, _ dependencies: HubDependencies, _ organization: UUID) async throws -> String

    let workers: Int
    /// The entities each organization's connection pulls (one job each).
    let organizations: [[String]]
    let connect: Connect
    let expectedPerJob: Int
    let admin: DatabaseURL
    let redisURL: String
    let sandboxURL: String
    /// The sandbox's and Redis's processes, for their CPU time (Redis: nil when not started here).
    let sandboxPID: Int32
    let redisPID: Int32?
    let workerBinary: String
    /// After the pull, pull every job's records again in full (`full_resync`) and measure that.
    var repull = false
    /// `HUB_SYNC_*` and rate limit settings the workers get.
    let settings: [String: String]
    let directory: URL
    let logger: Logger

    func run() async throws -> Figures {
        let database = try await BenchmarkDatabase.create(admin: admin)
        do {
            let figures = try await run(database: database.url)
            try await database.drop()
            return figures
        } catch {
            try? await database.drop()
            throw error
        }
    }

    private func run(database: DatabaseURL) async throws -> Figures {
        var environment = settings
        environment["DATABASE_URL"] = database.urlString
        environment["REDIS_URL"] = redisURL
        environment["HUB_JWT_HS256_SECRET"] = Self.randomHex()
        environment["HUB_INTERNAL_TOKEN"] = Self.randomHex()
        environment["HUB_VAULT_KEYS"] = VaultKeyRing.generateEntry(id: "bench")
        environment["HUB_PROVIDER_SANDBOX_URL"] = sandboxURL
        environment["HUB_LOG_FORMAT"] = "text"
        environment["HUB_LOG_LEVEL"] = "warning"

        var serviceEnvironment = environment
        let port = try freePort()
        serviceEnvironment["HUB_PORT"] = String(port)
        serviceEnvironment["HUB_DB_POOL_SIZE"] = "4"
        let configuration = try HubConfiguration.load(service: .connection, environment: serviceEnvironment)
        let dependencies = try await HubDependencies.make(configuration: configuration, logger: logger)
        let app = try ConnectionService.buildApplication(dependencies: dependencies)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let service = Task { try await group.run() }
        var processes: [ChildProcess] = []
        do {
            let baseURL = "http://127.0.0.1:\(port)"
            try await Self.waitReady(baseURL, what: "connection-service (in-process)")
            processes = try await startWorkers(environment: environment)
            let figures = try await pull(baseURL: baseURL, dependencies: dependencies, workers: processes)
            for process in processes { await process.stop() }
            await group.triggerGracefulShutdown()
            _ = await service.result
            return figures
        } catch {
            for process in processes { await process.stop() }
            await group.triggerGracefulShutdown()
            _ = await service.result
            throw error
        }
    }

    private func startWorkers(environment: [String: String]) async throws -> [ChildProcess] {
        var processes: [ChildProcess] = []
        for index in 0..<workers {
            var own = environment.merging(ProcessInfo.processInfo.environment.filter { $0.key == "PATH" || $0.key == "HOME" }) { mine, _ in mine }
            let port = try freePort()
            own["HUB_PORT"] = String(port)
            let process = try ChildProcess(
                "sync-worker \(index + 1)",
                executable: workerBinary,
                arguments: [],
                environment: own,
                log: directory.appendingPathComponent("sync-worker-\(workers)x-\(index + 1).log")
            )
            try process.start()
            processes.append(process)
            try await Self.waitReady("http://127.0.0.1:\(port)", what: process.name, process: process)
        }
        return processes
    }

    private func pull(baseURL: String, dependencies: HubDependencies, workers: [ChildProcess]) async throws -> Figures {
        var targets: [(api: HubAPI, connection: String, entity: String)] = []
        for entities in organizations {
            let organization = UUID()
            let token = try await dependencies.tokenVerifier.sign(Identity(organizationID: organization, subject: "sync-benchmark"), expiresIn: 7200)
            let api = HubAPI(baseURL: baseURL, token: token)
            let connection = try await connect(api, dependencies, organization)
            for entity in entities { targets.append((api, connection, entity)) }
        }
        let pids = workers.map(\.pid)
        let idle = pids.map(ProcessMemory.resident)
        let expected = expectedPerJob * targets.count
        let postmaster = try await ProcessCPU.postmaster(of: dependencies.postgres)
        let readCPU = { CPUCost.read(workers: pids, postmaster: postmaster, sandbox: sandboxPID, redis: redisPID) }
        var thresholds = [25, 50, 100]
        var rssAt: [(percent: Int, bytes: [Int?])] = []

        let clock = ContinuousClock()
        let cpuBefore = readCPU()
        let start = clock.now
        var jobIDs: [UUID] = []
        for target in targets {
            let id = try await target.api.triggerSync(connection: target.connection, entity: target.entity)
            guard let uuid = UUID(uuidString: id) else { throw BenchmarkError("job id \(id) is not a UUID") }
            jobIDs.append(uuid)
        }
        var lastReport = start
        // One query a round, whatever the number of jobs (200 organizations polled through the API
        // would cost more than the pull).
        while true {
            try await Task.sleep(for: .milliseconds(100))
            let (active, done) = try await progress(dependencies.postgres)
            while let next = thresholds.first, done * 100 >= next * expected {
                rssAt.append((next, pids.map(ProcessMemory.resident)))
                thresholds.removeFirst()
            }
            if active == 0 { break }
            for worker in workers where !worker.isRunning {
                throw BenchmarkError("\(worker.name) exited (\(worker.exitStatus)):\n\(worker.tail())")
            }
            if clock.now - lastReport > .seconds(5) {
                lastReport = clock.now
                let elapsed = (clock.now - start).inSeconds
                print(String(format: "    … %d of %d records, %d jobs unfinished, %.1f s", done, expected, active, elapsed))
            }
            if clock.now - start > .seconds(1800) { throw BenchmarkError("the pull did not finish in 30 minutes") }
        }
        let wall = (clock.now - start).inSeconds
        let rows = try await finished(dependencies.postgres)
        var organizationOf: [UUID: Int] = [:]
        var index = 0
        for (organization, entities) in organizations.enumerated() {
            for _ in entities {
                organizationOf[jobIDs[index]] = organization
                index += 1
            }
        }
        for row in rows where row.status != "completed" {
            throw BenchmarkError("job \(row.id) ended \(row.status): \(row.reason ?? "")")
        }
        // The pull's events are part of its cost: the relay runs on after the last page.
        try await waitRelayed(dependencies: dependencies)
        let cpu = readCPU() - cpuBefore
        let peaks = pids.map(ProcessMemory.peak)
        let stored = try await dependencies.postgres.withConnection { db in
            for try await count in try await db.query("SELECT count(*)::int FROM sync_records WHERE deleted_at IS NULL", logger: logger)
                .decode(Int.self)
            { return count }
            return 0
        }
        guard stored == expected else { throw BenchmarkError("the store holds \(stored) records, expected \(expected)") }
        let again = repull ? try await pullAgain(targets, dependencies: dependencies, readCPU: readCPU) : nil
        return Figures(
            workers: workers.count,
            jobs: targets.count,
            records: stored,
            wallSeconds: wall,
            jobSeconds: rows.map(\.runSeconds),
            triggerToFinish: rows.map { (organizationOf[$0.id] ?? -1, $0.triggerToFinish, $0.finished) },
            pages: rows.reduce(0) { $0 + $1.pages },
            idleRSS: idle,
            rssAt: rssAt,
            peakRSS: peaks,
            rejections: nil,
            cpu: cpu,
            repull: again
        )
    }

    /// Triggers every target again as a full resync and waits for the jobs to end.
    private func pullAgain(
        _ targets: [(api: HubAPI, connection: String, entity: String)],
        dependencies: HubDependencies,
        readCPU: () -> CPUCost
    ) async throws -> Repull {
        let clock = ContinuousClock()
        let before = readCPU()
        let start = clock.now
        var ids: [UUID] = []
        for target in targets {
            let id = try await target.api.triggerSync(connection: target.connection, entity: target.entity, fullResync: true)
            guard let uuid = UUID(uuidString: id) else { throw BenchmarkError("job id \(id) is not a UUID") }
            ids.append(uuid)
        }
        print("    … pulling the same records again in full")
        while try await progress(dependencies.postgres).active > 0 {
            if clock.now - start > .seconds(1800) { throw BenchmarkError("the second pull did not finish in 30 minutes") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let wall = (clock.now - start).inSeconds
        try await waitRelayed(dependencies: dependencies)
        let cpu = readCPU() - before
        return try await dependencies.postgres.withConnection { db in
            let rows = try await db.query(
                """
                SELECT count(*) FILTER (WHERE status <> 'completed')::int, coalesce(sum(created_count + updated_count + skipped_count), 0)::int,
                    coalesce(sum(skipped_count), 0)::int, coalesce(sum(updated_count), 0)::int
                FROM sync_jobs WHERE id = ANY(\(ids))
                """,
                logger: logger
            )
            for try await (unfinished, records, skipped, updated) in rows.decode((Int, Int, Int, Int).self) {
                guard unfinished == 0 else { throw BenchmarkError("\(unfinished) job(s) of the second pull did not complete") }
                return Repull(records: records, skipped: skipped, updated: updated, wallSeconds: wall, cpu: cpu)
            }
            throw BenchmarkError("the second pull's jobs are gone")
        }
    }

    /// Jobs not finished yet, and records handled so far (created, updated, skipped).
    private func progress(_ postgres: PostgresClient) async throws -> (active: Int, records: Int) {
        try await postgres.withConnection { db in
            let rows = try await db.query(
                """
                SELECT count(*) FILTER (WHERE status IN ('queued', 'running'))::int,
                    coalesce(sum(created_count + updated_count + skipped_count), 0)::int FROM sync_jobs
                """,
                logger: logger
            )
            for try await row in rows.decode((Int, Int).self) { return row }
            return (0, 0)
        }
    }

    /// Every job as it ended.
    private func finished(
        _ postgres: PostgresClient
    ) async throws -> [(id: UUID, status: String, reason: String?, pages: Int, runSeconds: Double, triggerToFinish: Double, finished: Double)] {
        try await postgres.withConnection { db in
            let rows = try await db.query(
                """
                SELECT id, status, status_reason, pages,
                    coalesce(extract(epoch FROM finished_at - started_at), 0)::float8,
                    coalesce(extract(epoch FROM finished_at - created_at), 0)::float8,
                    coalesce(extract(epoch FROM finished_at), 0)::float8
                FROM sync_jobs ORDER BY created_at
                """,
                logger: logger
            )
            var jobs: [(id: UUID, status: String, reason: String?, pages: Int, runSeconds: Double, triggerToFinish: Double, finished: Double)] = []
            for try await row in rows.decode((UUID, String, String?, Int, Double, Double, Double).self) {
                jobs.append((row.0, row.1, row.2, row.3, row.4, row.5, row.6))
            }
            return jobs
        }
    }

    /// Waits (up to a minute) until the outbox holds no event left to relay.
    func waitRelayed(dependencies: HubDependencies) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let waiting = try await dependencies.postgres.withConnection { db in
                for try await count in try await db.query("SELECT count(*)::int FROM event_outbox WHERE relayed_at IS NULL", logger: logger)
                    .decode(Int.self)
                { return count }
                return 0
            }
            if waiting == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError("the pull's events were not relayed within a minute of its end")
    }

    /// Waits until `/readyz` answers 200 (migrated, PostgreSQL and Redis reachable).
    static func waitReady(_ baseURL: String, what: String, process: ChildProcess? = nil) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        let api = HubAPI(baseURL: baseURL, token: "")
        while ContinuousClock.now < deadline {
            if let reply = try? await api.send(.GET, "/readyz"), reply.status == 200 { return }
            if let process, !process.isRunning { throw BenchmarkError("\(what) exited (\(process.exitStatus)):\n\(process.tail())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError("\(what) was not ready in 60 s" + (process.map { ":\n\($0.tail())" } ?? ""))
    }

    static func randomHex() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
