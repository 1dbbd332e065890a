import Foundation
import HubCore
import Synchronization

/// What the machine's CPUs did while a scenario ran: how busy the cores were and what share the
/// hypervisor took (`steal`, from /proc/stat), and how late a thread of the probe's own woke from
/// short sleeps: a late wake-up is a thread waiting for a core, or, when very late, a stall of the
/// whole guest (2026-12-06 14:50:41: steal 12 %, a once-a-second sampler lost a second), which no
/// code of the hub can shorten. The probe names such runs.
public final class SchedulingProbe: Sendable {
    public struct Summary: Sendable {
        /// Shares of all cores' time, 0...1: the guest's own work (user, system, interrupts), and
        /// what the hypervisor took.
        public var busy: Double?
        public var steal: Double?
        /// Wake-up lateness of the probe's thread, in milliseconds.
        public var lateP99: Double
        public var lateMax: Double

        /// `CPU busy 76 %, steal 2 %, wake-ups late p99 0.4 ms, max 950.2 ms`.
        public var line: String {
            var parts: [String] = []
            if let busy { parts.append(String(format: "CPU busy %.0f %%", busy * 100)) }
            if let steal { parts.append(String(format: "steal %.0f %%", steal * 100)) }
            parts.append(String(format: "wake-ups late p99 %.1f ms, max %.1f ms", lateP99, lateMax))
            return parts.joined(separator: ", ")
        }
    }

    private let interval: Duration
    private let stopped = Atomic<Bool>(false)
    private let lateness = Mutex<[Double]>([])
    private let startTimes = Mutex<[UInt64]?>(nil)

    /// A probe that sleeps `interval` at a time (200 wake-ups a second by default).
    public init(every interval: Duration = .milliseconds(5)) {
        self.interval = interval
    }

    /// Reads the CPU counters and starts the probe's thread; `stop()` ends it.
    public func start() {
        startTimes.withLock { $0 = Self.cpuTimes() }
        Thread.detachNewThread { [self] in run() }
    }

    /// Ends the probe and sums up (nil if its thread never woke).
    public func stop() -> Summary? {
        stopped.store(true, ordering: .releasing)
        let late = lateness.withLock { $0 }.sorted()
        guard let last = late.last, let p99 = Percentile.nearestRank(late, 0.99) else { return nil }
        var summary = Summary(lateP99: p99, lateMax: last)
        if let before = startTimes.withLock({ $0 }), let after = Self.cpuTimes(), before.count >= 8, after.count >= 8 {
            // The first eight counters: guest time is counted inside user and nice already.
            let delta = zip(after.prefix(8), before.prefix(8)).map { $0 &- $1 }
            let total = Double(delta.reduce(0, &+))
            if total > 0 {
                summary.busy = Double(delta[0] &+ delta[1] &+ delta[2] &+ delta[5] &+ delta[6]) / total  // this guest's own work
                summary.steal = Double(delta[7]) / total
            }
        }
        return summary
    }

    private func run() {
        let clock = ContinuousClock()
        let asked = interval.inSeconds
        while !stopped.load(ordering: .acquiring) {
            let slept = clock.measure { Thread.sleep(forTimeInterval: asked) }
            lateness.withLock { $0.append(max(0, (slept.inSeconds - asked) * 1_000)) }
        }
    }

    /// The summed counters of /proc/stat's first line (user, nice, system, idle, iowait, irq,
    /// softirq, steal, …), in clock ticks; nil where there is no /proc.
    static func cpuTimes() -> [UInt64]? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let first = text.split(separator: "\n").first, first.hasPrefix("cpu ")
        else { return nil }
        return first.split(separator: " ").dropFirst().compactMap { UInt64($0) }
    }
}
