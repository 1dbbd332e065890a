import Foundation

/// How the figures are printed: each run as it ends, then all side by side with the ratio.
enum Report {
    static func pull(_ figures: WorkerPull.Figures) {
        print(
            String(
                format: "  %d records in %.2f s wall: %.0f records/s (%d pages; job times %@ s)",
                figures.records,
                figures.wallSeconds,
                figures.recordsPerSecond,
                figures.pages,
                figures.jobSeconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")
            )
        )
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
}
