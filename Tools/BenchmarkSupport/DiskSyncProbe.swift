import Foundation
import HubCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times an `fdatasync` of a small write every few milliseconds, on a thread of its own, while a
/// scenario runs. Every commit waits for PostgreSQL's WAL to reach the disk, and this VM's disk
/// stalls a sync now and then for tens of milliseconds whatever the load (idle, one sync of
/// 13,000 took 54 ms), so a latency figure is read beside what the disk did meanwhile. The probe
/// adds its own 100 small syncs a second to that disk; a short write ends its sampling early.
public final class DiskSyncProbe: Sendable {
    /// The syncs' times, in milliseconds.
    public struct Summary: Sendable {
        public var count: Int
        public var p99: Double
        public var max: Double

        /// `disk sync p99 0.4 ms, max 54.2 ms (1,000 syncs)`.
        public var line: String { String(format: "disk sync p99 %.1f ms, max %.1f ms (%d syncs)", p99, max, count) }
    }

    private let path: String
    private let interval: Duration
    private let stopped = Atomic<Bool>(false)
    private let samples = Mutex<[Double]>([])

    /// Probes a file in `directory` (it should be on PostgreSQL's disk), one sync per `interval`.
    public init(directory: URL = FileManager.default.temporaryDirectory, every interval: Duration = .milliseconds(10)) {
        path = directory.appendingPathComponent("disk-sync-probe-\(UUID().uuidString)").path
        self.interval = interval
    }

    /// Starts the probe's thread; `stop()` ends it.
    public func start() {
        Thread.detachNewThread { [self] in run() }
    }

    /// Ends the probe and sums up its syncs (nil if it made none: the file could not be opened).
    public func stop() -> Summary? {
        stopped.store(true, ordering: .releasing)
        let times = samples.withLock { $0 }.sorted()
        guard let last = times.last, let p99 = Percentile.nearestRank(times, 0.99) else { return nil }
        return Summary(count: times.count, p99: p99, max: last)
    }

    private func run() {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer {
            close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x2A, count: 8_192)
        var offset: off_t = 0
        let clock = ContinuousClock()
        while !stopped.load(ordering: .acquiring) {
            let written = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, offset) }
            guard written == block.count else { return }
            // A ring of 1 MiB: the file stays small and the writes go on landing in new blocks.
            offset = (offset + off_t(block.count)) % (1 << 20)
            #if os(Linux)
            let took = clock.measure { _ = fdatasync(descriptor) }
            #else
            let took = clock.measure { _ = fsync(descriptor) }
            #endif
            samples.withLock { $0.append(took.inMilliseconds) }
            Thread.sleep(forTimeInterval: interval.inSeconds)
        }
    }
}
