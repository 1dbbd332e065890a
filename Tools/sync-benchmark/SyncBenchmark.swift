import ArgumentParser
import BenchmarkSupport
import Foundation
import HubConnectors
import HubCore
import HubSync
import Logging

/// `sync-benchmark`: records per second pulled from the provider sandbox into PostgreSQL by
/// sync-worker (one process, then three), with the workers' resident memory as the pull grows,
/// beside the same pull by Singer's tap-stripe. Release builds; see README "Benchmarks".
@main
struct SyncBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-benchmark",
        abstract: "Measure full Stripe pulls: sync-worker ×1 and ×3 against tap-stripe, on one machine."
    )

    @Option(help: "Objects per seeded sandbox entity (records per pull; default 100,000, or 2,000 with --tenants or --fairness).")
    var volume: Int?
    @Option(help: "stripe, or quickbooks: a company of its own per connection, pulled under QuickBooks' real rate limit.")
    var provider = "stripe"
    @Option(help: "The entity to pull (default: customers for Stripe, invoices for QuickBooks).") var entity: String?
    @Option(help: "Worker process counts to measure, in order (each N workers pulls N connections at once).")
    var workers = "1,3"
    @Option(help: "A PostgreSQL URL with the right to create databases; one fresh database per pull is made and dropped.")
    var postgresURL = ProcessInfo.processInfo.environment["HUB_BENCH_DATABASE_URL"] ?? "postgres://hub@127.0.0.1:55432/postgres"
    @Option(help: "Use this Redis instead of starting a fresh redis-server per pull.") var redisURL: String?
    @Option(help: "The redis-server binary to start.") var redisServer = "/usr/bin/redis-server"
    @Option(help: "Where the release sync-worker and provider-sandbox binaries are (default: beside this one).")
    var binDirectory: String?
    @Option(help: "Records per provider page (HUB_SYNC_PAGE_SIZE; default the provider's most: Stripe 100, QuickBooks 1000).")
    var pageSize: Int?
    @Option(help: "Jobs one worker runs at once (HUB_SYNC_CONCURRENCY).") var concurrency = 1
    @Option(help: "Most consecutive pages written in one transaction (HUB_SYNC_PAGES_PER_WRITE; 1: a transaction per page).")
    var pagesPerWrite = 10
    @Option(
        help: """
            Many tenants: this many organizations with one QuickBooks company each (--volume records), all \
            triggered at once; reports records/s, the sandbox's 429s and the p95 trigger → finish per organization.
            """
    )
    var tenants: Int?
    @Flag(
        help: """
            Fairness: one organization's QuickBooks company pulls ten entities (ten jobs at one company's rate), then \
            another organization's one entity; reports the single job's trigger → finish beside the busy organization's.
            """
    )
    var fairness = false
    @Option(help: "The sandbox's QuickBooks limit per company in any one second (Intuit's: 10).") var perSecond = 10
    @Option(help: "Jobs of one organization at once across the workers (HUB_SYNC_ORGANIZATION_CONCURRENCY; default the worker's).")
    var organizationConcurrency: Int?
    @Option(help: "The venv for tap-stripe (made on first use).") var venv = ".build/sync-benchmark-venv"
    @Flag(help: "Skip the tap-stripe comparison.") var skipExtractor = false
    @Option(
        help: """
            Hub CPU seconds (sync-worker + PostgreSQL) per 1,000 Stripe records before issue 22's work, measured with that \
            code on this machine; its bar is half of it (without it the bar is not judged).
            """
    )
    var costBaseline: Double?
    @Flag(
        help: """
            Only sync-worker's CPU per record for parsing, preparing and events, in this process without PostgreSQL or \
            Redis (pages of customers fetched once from a sandbox of --volume, default 2,000).
            """
    )
    var recordPath = false
    @Option(help: "Rounds over the pages for --record-path.") var rounds = 25
    @Flag(
        help: """
            After each pull, pull the same records again in full (full_resync): none changed at the provider, so the \
            store skips them all; its records/s and CPU are printed beside the first import's.
            """
    )
    var repull = false

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        var logger = Logger(label: "sync-benchmark")
        logger.logLevel = .warning
        if recordPath { return try await measureRecordPath() }
        let counts = workers.split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--workers takes counts like 1,3") }
        guard let admin = DatabaseURL(string: postgresURL) else { throw ValidationError("--postgres-url must be a postgres:// URL") }
        guard let scenario = Scenario(provider: (tenants == nil && !fairness) ? provider : "quickbooks") else {
            throw ValidationError("--provider takes stripe or quickbooks")
        }
        guard tenants == nil || !fairness else { throw ValidationError("--tenants and --fairness are separate runs") }
        guard (tenants ?? 1) >= 1 else { throw ValidationError("--tenants takes a count of at least 1") }
        let entity = entity ?? scenario.defaultEntity
        let volume = self.volume ?? ((tenants == nil && !fairness) ? 100_000 : 2_000)
        // The tenant scenarios measure waiting on a rate-limited provider: pages of 100 make a
        // job of 2,000 records twenty calls, which its company's limit paces.
        let pageSize = pageSize ?? ((tenants == nil && !fairness) ? scenario.maxPageSize : 100)
        let (bin, directory) = try workplace(needing: ["sync-worker", "provider-sandbox"])

        try await MachineReport.print(admin: admin, bin: bin)
        print("logs and extractor output: \(directory.path)")
        var settings = [
            "HUB_SYNC_PAGE_SIZE": String(pageSize), "HUB_SYNC_CONCURRENCY": String(concurrency),
            "HUB_SYNC_PAGES_PER_WRITE": String(pagesPerWrite),
        ]
        // Stripe: the sandbox's own limit is the only one (the hub's shared limiter still runs for
        // every call). QuickBooks keeps its real limit, in the hub and in the sandbox.
        if scenario == .stripe { settings["HUB_PROVIDER_STRIPE_RATE_LIMIT"] = "100000/100000" }
        if let organizationConcurrency { settings["HUB_SYNC_ORGANIZATION_CONCURRENCY"] = String(organizationConcurrency) }
        print("worker settings: " + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))

        print("\nstarting provider-sandbox (release) at --volume \(volume)")
        let (sandbox, sandboxURL) = try await BenchmarkServers.startSandbox(binary: "\(bin)/provider-sandbox", volume: volume, directory: directory)
        var pulls: [WorkerPull.Figures] = []
        var tap: TapStripePull.Figures?
        do {
            for count in counts {
                let organizations: [[String]]
                if let tenants {
                    organizations = Array(repeating: [entity], count: tenants)
                    print("\nsync-worker ×\(count): \(tenants) organizations × one QuickBooks company × \(volume) \(entity), fresh database")
                } else if fairness {
                    organizations = [Scenario.quickBooksEntities, [entity]]
                    print(
                        "\nsync-worker ×\(count): one organization's company × \(Scenario.quickBooksEntities.count) entities, then another's × \(entity); \(volume) records each"
                    )
                } else {
                    organizations = Array(repeating: [entity], count: count)
                    print("\nsync-worker ×\(count): \(count) \(scenario) connection(s) × \(volume) \(entity), full pull, fresh database")
                }
                try await scenario.resetThrottle(sandboxURL: sandboxURL, perSecond: perSecond)
                var redis: ChildProcess?
                var url = redisURL
                if url == nil {
                    let started = try await BenchmarkServers.startRedis(binary: redisServer, directory: directory)
                    redis = started.0
                    url = started.url
                }
                var pull = WorkerPull(
                    workers: count,
                    organizations: organizations,
                    connect: scenario.connect(sandboxURL: sandboxURL, volume: volume),
                    expectedPerJob: volume,
                    admin: admin,
                    redisURL: url ?? "",
                    sandboxURL: sandboxURL,
                    sandboxPID: sandbox.pid,
                    redisPID: redis?.pid,
                    workerBinary: "\(bin)/sync-worker",
                    settings: settings,
                    directory: directory,
                    logger: logger
                )
                pull.repull = repull
                var figures: WorkerPull.Figures
                // SIGKILL at once: Foundation's Process starts children with SIGTERM blocked, which
                // redis-server never unblocks, so a polite stop waited out its whole grace (10 s a
                // pull). This Redis is a throwaway that saves nothing.
                do {
                    figures = try await pull.run()
                } catch {
                    await redis?.stop(grace: .zero)
                    throw error
                }
                await redis?.stop(grace: .zero)
                figures.rejections = try await scenario.rejections(sandboxURL: sandboxURL)
                Report.pull(figures)
                pulls.append(figures)
            }
            if !skipExtractor && scenario == .stripe && tenants == nil {
                print("\ntap-stripe \(TapStripePull.version) (Singer, PyPI): the same \(volume) \(entity) from the same sandbox, records to a file")
                let extractor = TapStripePull(
                    venv: URL(fileURLWithPath: venv).standardizedFileURL,
                    sandboxURL: sandboxURL,
                    entity: entity,
                    directory: directory
                )
                let figures = try await extractor.run()
                Report.tap(figures)
                tap = figures
            }
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
        // The bars are Stripe's (the CPU-bound pull); a QuickBooks pull waits on its rate limit.
        if tenants != nil {
            Report.tenants(pulls)
        } else if fairness {
            Report.fairness(pulls)
        } else {
            Report.summary(pulls: pulls, tap: tap, bars: scenario == .stripe ? Report.Bars(costBaseline: costBaseline) : nil)
        }
        print(SpeedProbe.line("speed probe after"))
    }

    /// The release binaries' folder (checked for `binaries`) and a fresh folder for logs.
    func workplace(needing binaries: [String]) throws -> (bin: String, directory: URL) {
        let bin = binDirectory ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        for binary in binaries where !FileManager.default.isExecutableFile(atPath: "\(bin)/\(binary)") {
            throw ValidationError("no \(bin)/\(binary): swift build -c release --product \(binary)")
        }
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "sync-benchmark-\(ProcessInfo.processInfo.processIdentifier)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (bin, directory)
    }

    func measureRecordPath() async throws {
        let (bin, directory) = try workplace(needing: ["provider-sandbox"])
        print("sync-benchmark --record-path — \(Date())")
        print("sandbox log: \(directory.path)")
        print(SpeedProbe.line("speed probe before"))
        let volume = self.volume ?? 2_000
        let (sandbox, sandboxURL) = try await BenchmarkServers.startSandbox(binary: "\(bin)/provider-sandbox", volume: volume, directory: directory)
        let pages: [[UInt8]]
        do {
            pages = try await RecordPath.fetch(sandboxURL: sandboxURL, count: max(1, volume / 100))
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
        let mapping = try SyncMapping.effective(connectorType: StripeConnector.self, entity: "customers", override: nil)
        try RecordPath(pages: pages, mapping: mapping).report(rounds: max(1, rounds))
        print(SpeedProbe.line("speed probe after"))
    }
}
