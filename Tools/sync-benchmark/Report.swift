import Foundation

/// How the figures are printed: each run as it ends, then all side by side with the ratio.
enum Report {
    static func pull(_ figures: WorkerPull.Figures) {
        // Many jobs: their spread rather than each.
        let times =
            figures.jobSeconds.count > 10
            ? String(
                format: "p50 %.2f, p95 %.2f, max %.2f",
                percentile(figures.jobSeconds, 50),
                percentile(figures.jobSeconds, 95),
                figures.jobSeconds.max() ?? 0
            )
            : figures.jobSeconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        print(
            String(
                format: "  %d records in %.2f s wall: %.0f records/s (%d jobs, %d pages; job times %@ s)",
                figures.records,
                figures.wallSeconds,
                figures.recordsPerSecond,
                figures.jobs,
                figures.pages,
                times
            )
        )
        if let rejections = figures.rejections { print("  requests the sandbox answered 429: \(rejections)") }
        let organizations = figures.perOrganization
        if organizations.count > 1 {
            print(
                String(
                    format: "  trigger → finish per organization (%d): p50 %.2f s, p95 %.2f s, max %.2f s",
                    organizations.count,
                    percentile(organizations, 50),
                    percentile(organizations, 95),
                    organizations.max() ?? 0
                )
            )
        }
        for index in 0..<figures.workers {
            var line = "  worker \(index + 1) RSS: idle \(ProcessMemory.megabytes(figures.idleRSS[index]))"
            for sample in figures.rssAt { line += ", \(sample.percent)% \(ProcessMemory.megabytes(sample.bytes[index]))" }
            line += "; peak \(ProcessMemory.megabytes(figures.peakRSS[index]))"
            print(line)
        }
    }

    static func tap(_ figures: TapStripePull.Figures) {
        print(
            String(
                format: "  %d records in %.2f s wall: %.0f records/s; peak RSS %@",
                figures.records,
                figures.wallSeconds,
                figures.recordsPerSecond,
                ProcessMemory.megabytes(figures.peakRSS)
            )
        )
    }

    static func summary(pulls: [WorkerPull.Figures], tap: TapStripePull.Figures?, bar: Double?) {
        print("\nsummary")
        print("  " + "extractor".padding(toLength: 28, withPad: " ", startingAt: 0) + "records    wall s   records/s   peak RSS")
        for pull in pulls {
            let peak = pull.peakRSS.compactMap { $0 }.max()
            row(
                "hub sync-worker ×\(pull.workers)",
                pull.records,
                pull.wallSeconds,
                pull.recordsPerSecond,
                ProcessMemory.megabytes(peak) + (pull.workers > 1 ? " each" : "")
            )
        }
        if let tap {
            row("tap-stripe \(tap.version)", tap.records, tap.wallSeconds, tap.recordsPerSecond, ProcessMemory.megabytes(tap.peakRSS))
            if let one = pulls.first(where: { $0.workers == 1 }) {
                print(
                    String(format: "  ratio: hub sync-worker ×1 pulls %.1f× the records/s of tap-stripe", one.recordsPerSecond / tap.recordsPerSecond)
                )
            }
        }
        if let bar, let one = pulls.first(where: { $0.workers == 1 }) {
            print(String(format: "  bar (≥ %.0f records/s with one worker): %@", bar, one.recordsPerSecond >= bar ? "met" : "NOT met"))
        }
    }

    static func row(_ name: String, _ records: Int, _ wall: Double, _ rate: Double, _ peak: String) {
        print(
            "  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%7d  %8.2f  %10.0f   %@", records, wall, rate, peak)
        )
    }

    /// The many-tenant runs side by side: throughput as workers are added, with every company's
    /// limit kept (the sandbox's 429s) and each organization's wait.
    static func tenants(_ pulls: [WorkerPull.Figures]) {
        print("\nsummary (many tenants)")
        print("  workers   records/s   vs ×1   429s   p95 trigger → finish per organization")
        let one = pulls.first { $0.workers == 1 }
        for pull in pulls {
            let ratio = one.map { pull.recordsPerSecond / $0.recordsPerSecond } ?? .nan
            print(
                String(
                    format: "  %7d  %10.0f  %5.2f×  %5@   %.2f s",
                    pull.workers,
                    pull.recordsPerSecond,
                    ratio,
                    pull.rejections.map(String.init) ?? "n/a",
                    percentile(pull.perOrganization, 95)
                )
            )
        }
        let limited = pulls.allSatisfy { $0.rejections == 0 }
        print("  bar (zero 429s from the sandbox in every run): \(limited ? "met" : "NOT met")")
        if let one {
            // Near-linear: N workers at least 80 % of N times one worker's rate (until the CPU is the limit).
            for pull in pulls where pull.workers > 1 {
                let met = pull.recordsPerSecond >= 0.8 * Double(pull.workers) * one.recordsPerSecond
                print(
                    String(
                        format: "  bar (×%d pulls at least %.1f× the records/s of ×1): %@",
                        pull.workers,
                        0.8 * Double(pull.workers),
                        met ? "met" : "NOT met"
                    )
                )
            }
        }
    }

    /// The fairness runs: organization 0 triggered many jobs, then organization 1 one.
    static func fairness(_ pulls: [WorkerPull.Figures]) {
        print("\nsummary (fairness)")
        for pull in pulls {
            let busyJobs = pull.triggerToFinish.filter { $0.organization == 0 }
            let busy = busyJobs.map(\.seconds)
            guard let quiet = pull.triggerToFinish.first(where: { $0.organization == 1 }) else { continue }
            let single = quiet.seconds
            let ahead = busyJobs.filter { $0.finished < quiet.finished }.count
            print(
                String(
                    format: "  ×%d: the single job %.2f s trigger → finish; the busy organization's %d: p50 %.2f s, p95 %.2f s, last %.2f s",
                    pull.workers,
                    single,
                    busy.count,
                    percentile(busy, 50),
                    percentile(busy, 95),
                    busy.max() ?? 0
                )
            )
            print(
                "  bar (×\(pull.workers): the single job finishes before half of the busy organization's): \(ahead * 2 < busy.count ? "met" : "NOT met") (\(ahead) finished before it)"
            )
        }
    }

    /// The nearest-rank percentile (0 for none).
    static func percentile(_ values: [Double], _ percent: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
