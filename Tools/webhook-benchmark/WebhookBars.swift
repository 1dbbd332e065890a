import BenchmarkSupport
import Foundation

/// The bars the webhook figures are held to, judged on one run of the tool: issue 22's for
/// outbound deliveries and their latency, issue 6's for inbound acknowledgements.
struct WebhookBars {
    /// One latency run's figures, in milliseconds.
    struct Latency {
        var receiptP99: Double
        var answerP99: Double
        /// The slowest of the disk's syncs during the run (`DiskSyncProbe`).
        var diskMax: Double?
        /// What the CPUs did during the run (`SchedulingProbe`).
        var scheduling: SchedulingProbe.Summary?
        var slow: SlowAnswers
        var line: String
    }

    /// The publishes answered in 20 ms or more, beside how many the service's handler took long
    /// over (`HandlerTimes`; nil when its metrics did not say) and the latest an event left the
    /// tool: a late answer whose handler was quick spent its time outside it.
    struct SlowAnswers {
        var count: Int
        var handlerOver10: Int?
        var handlerOver25: Int?
        /// Milliseconds.
        var leftLateMax: Double

        /// `answered in 20 ms or more: 57 (the handler took over 10 ms for 3, over 25 ms for 0);
        /// an event left the tool 12.3 ms late at most`.
        var line: String {
            var handler = ""
            if let handlerOver10, let handlerOver25 {
                handler = " (the handler took over 10 ms for \(handlerOver10), over 25 ms for \(handlerOver25))"
            }
            return "answered in 20 ms or more: \(count)\(handler)" + String(format: "; an event left the tool %.1f ms late at most", leftLateMax)
        }
    }

    /// The rate the latency runs published at; the latency bars are for 500 events/s.
    var rate: Int
    /// Deliveries per second to one subscription, one event a request.
    var single: Double?
    var fanout: (subscriptions: Int, perSecond: Double)?
    var latencies: [Latency] = []
    /// Inbound webhooks acknowledged per second.
    var inbound: Double?

    func lines() -> [String] {
        var lines = ["bars"]
        lines.append(Bar.line("≥ 3000 deliveries/s to one subscription, one event a request", single.map { $0 >= 3_000 }))
        if let fanout, fanout.subscriptions != 10 {
            lines.append(Bar.line("≥ 6000 deliveries/s fanned out to ten", notJudged: "--fanout \(fanout.subscriptions)"))
        } else {
            lines.append(Bar.line("≥ 6000 deliveries/s fanned out to ten", fanout.map { $0.perSecond >= 6_000 }))
        }
        if !latencies.isEmpty, rate != 500 {
            lines.append(Bar.line("latency at 500 events/s", notJudged: "--rate \(rate)"))
        } else {
            let runs = latencies.count > 1 ? ", in every one of \(latencies.count) runs" : ""
            lines.append(latencyLine("p99 publish → receipt < 50 ms at 500 events/s\(runs)", \.receiptP99, below: 50))
            lines.append(latencyLine("publish answered p99 < 20 ms at 500 events/s\(runs)", \.answerP99, below: 20))
        }
        lines.append(Bar.line("≥ 3000 inbound webhooks acknowledged/s", inbound.map { $0 >= 3_000 }))
        if latencies.contains(where: { $0.diskMax != nil }) {
            lines.append("  the disk stalled a sync for 20 ms or more in \(stalledRuns) of \(latencies.count) latency runs")
        }
        if latencies.contains(where: { $0.scheduling != nil }) {
            lines.append(
                "  a thread woke up 20 ms or more late (waiting for a core, or a stall of the machine) in "
                    + "\(lateWakeUpRuns) of \(latencies.count) latency runs"
            )
        }
        return lines
    }

    private func latencyLine(_ what: String, _ figure: KeyPath<Latency, Double>, below limit: Double) -> String {
        guard let worst = latencies.map({ $0[keyPath: figure] }).max() else { return Bar.line(what, nil) }
        // A commit cannot be answered before the disk has its WAL, nor a request before a core
        // runs it: a missed run is shown beside the slowest sync the disk made during it, the
        // hypervisor's share and the latest wake-up of the probe's thread.
        let missed = latencies.enumerated().filter { $0.element[keyPath: figure] >= limit }.map { run, latency in
            var causes: [String] = []
            if let disk = latency.diskMax { causes.append(String(format: "disk sync max %.0f ms", disk)) }
            if let cpus = latency.scheduling {
                if let steal = cpus.steal { causes.append(String(format: "steal %.0f %%", steal * 100)) }
                causes.append(String(format: "a wake-up %.0f ms late", cpus.lateMax))
            }
            if let handler = latency.slow.handlerOver25 {
                causes.append("\(latency.slow.count) answers of 20 ms or more, \(handler) over 25 ms in the handler")
            }
            causes.append(String(format: "an event left the tool %.0f ms late", latency.slow.leftLateMax))
            return "run \(run + 1)" + (causes.isEmpty ? "" : " (" + causes.joined(separator: ", ") + ")")
        }
        let misses = missed.isEmpty ? "" : "; missed in " + missed.joined(separator: ", ")
        return Bar.line(what, worst < limit) + String(format: " (worst p99 %.1f ms", worst) + misses + ")"
    }

    /// How many runs saw the disk stall a sync for 20 ms or more.
    var stalledRuns: Int { latencies.count { ($0.diskMax ?? 0) >= 20 } }

    /// How many runs saw the probe's thread wake up 20 ms or more late.
    var lateWakeUpRuns: Int { latencies.count { ($0.scheduling?.lateMax ?? 0) >= 20 } }
}
