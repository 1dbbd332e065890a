import BenchmarkSupport
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
        print("  CPU: " + cpuLine(figures.cpu, records: figures.records, wallSeconds: figures.wallSeconds))
        if let again = figures.repull {
            print(
                String(
                    format: "  pulled again in full, nothing changed: %d records in %.2f s wall: %.0f records/s (skipped %d, updated %d)",
                    again.records,
                    again.wallSeconds,
                    Double(again.records) / again.wallSeconds,
                    again.skipped,
                    again.updated
                )
            )
            print("  CPU of that: " + cpuLine(again.cpu, records: again.records, wallSeconds: again.wallSeconds))
        }
    }

    /// `CPU s per 1,000 records: hub 0.062 (sync-worker 0.041 + PostgreSQL 0.021), sandbox …, all …`.
    static func cpuLine(_ cpu: WorkerPull.CPUCost, records: Int, wallSeconds: Double) -> String {
        let thousands = Double(records) / 1000
        func per(_ seconds: Double?) -> String { seconds.map { String(format: "%.3f", $0 / thousands) } ?? "n/a" }
        return "s per 1,000 records: hub \(per(cpu.hub)) (sync-worker \(per(cpu.workers)) + PostgreSQL \(per(cpu.postgres))), "
            + "sandbox \(per(cpu.sandbox)), Redis \(per(cpu.redis)); all \(per(cpu.total)) "
            + String(format: "(%.1f CPU s in all over %.2f s wall)", cpu.total ?? .nan, wallSeconds)
    }

    /// Issue 22 part 1's bars for a Stripe pull: the hub's CPU per record at most half of
    /// `costBaseline`, one worker at 15,000 records/s or more, and 5× tap-stripe in the same run.
    struct Bars {
        var recordsPerSecond: Double = 15_000
        var timesExtractor: Double = 5
        /// Hub CPU seconds per 1,000 records before the work on the issue (`--cost-baseline`).
        var costBaseline: Double?
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

    static func summary(pulls: [WorkerPull.Figures], tap: TapStripePull.Figures?, bars: Bars?) {
        print("\nsummary")
        print(
            "  " + "extractor".padding(toLength: 28, withPad: " ", startingAt: 0)
                + "records    wall s   records/s   peak RSS   hub CPU s/1k   all CPU s/1k"
        )
        for pull in pulls {
            let peak = pull.peakRSS.compactMap { $0 }.max()
            row(
                "hub sync-worker ×\(pull.workers)",
                pull.records,
                pull.wallSeconds,
                pull.recordsPerSecond,
                ProcessMemory.megabytes(peak) + (pull.workers > 1 ? " each" : ""),
                cpu: (pull.cpu.hub, pull.cpu.total),
                thousands: Double(pull.records) / 1000
            )
        }
        // This VM's speed drifts between runs of the same build (hub CPU per 1,000 records read
        // 0.072-0.087 s in five back-to-back runs): given several ×1 pulls (`--workers 1,1,1`),
        // the ratio and the bars take their medians.
        let ones = pulls.filter { $0.workers == 1 }
        let costs = ones.compactMap { pull in pull.cpu.hub.map { $0 / (Double(pull.records) / 1000) } }.sorted()
        let rates = ones.map(\.recordsPerSecond).sorted()
        func median(_ sorted: [Double]) -> Double? { sorted.isEmpty ? nil : sorted[sorted.count / 2] }
        let (cost, rate) = (median(costs), median(rates))
        if let tap {
            row("tap-stripe \(tap.version)", tap.records, tap.wallSeconds, tap.recordsPerSecond, ProcessMemory.megabytes(tap.peakRSS))
            if let rate {
                print(String(format: "  ratio: hub sync-worker ×1 pulls %.1f× the records/s of tap-stripe", rate / tap.recordsPerSecond))
            }
        }
        guard let bars, let rate else { return }
        if ones.count > 1 {
            print(
                String(
                    format: "  ×1 over %d pulls: records/s median %.0f (%.0f-%.0f), hub CPU s/1k median %.3f (%.3f-%.3f)",
                    ones.count,
                    rate,
                    rates.first ?? .nan,
                    rates.last ?? .nan,
                    cost ?? .nan,
                    costs.first ?? .nan,
                    costs.last ?? .nan
                )
            )
        }
        if let baseline = bars.costBaseline {
            let what = String(format: "hub CPU ≤ half of %.3f s per 1,000 records, sync-worker + PostgreSQL, one worker", baseline)
            print(Bar.line(what, cost.map { $0 <= baseline / 2 }))
        } else {
            print(Bar.line("hub CPU half of before issue 22", notJudged: "give --cost-baseline, the figure measured before"))
        }
        let records = String(format: "≥ %.0f records/s with one worker at %d records", bars.recordsPerSecond, ones[0].records)
        print(Bar.line(records, rate >= bars.recordsPerSecond))
        let extractor = String(format: "≥ %.0f× tap-stripe's records/s in the same run", bars.timesExtractor)
        print(Bar.line(extractor, tap.map { rate >= bars.timesExtractor * $0.recordsPerSecond }))
    }

    static func row(
        _ name: String,
        _ records: Int,
        _ wall: Double,
        _ rate: Double,
        _ peak: String,
        cpu: (hub: Double?, all: Double?) = (nil, nil),
        thousands: Double = 1
    ) {
        func per(_ seconds: Double?) -> String { seconds.map { String(format: "%12.3f", $0 / thousands) } ?? String(repeating: " ", count: 12) }
        print(
            "  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%7d  %8.2f  %10.0f   %@", records, wall, rate, peak.padding(toLength: 9, withPad: " ", startingAt: 0))
                + "  " + per(cpu.hub) + "   " + per(cpu.all)
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
        print(Bar.line("zero 429s from the sandbox in every run", limited))
        if let one {
            // Near-linear: N workers at least 80 % of N times one worker's rate (until the CPU is the limit).
            for pull in pulls where pull.workers > 1 {
                let met = pull.recordsPerSecond >= 0.8 * Double(pull.workers) * one.recordsPerSecond
                print(Bar.line(String(format: "×%d pulls at least %.1f× the records/s of ×1", pull.workers, 0.8 * Double(pull.workers)), met))
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
            let what = "×\(pull.workers): the single job finishes before half of the busy organization's"
            print(Bar.line(what, ahead * 2 < busy.count) + " (\(ahead) finished before it)")
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
