import HubCore

/// Reads the process's Prometheus exposition (`HubMetrics.render()`), which every test in the
/// process writes to: tests use labels of their own, or compare before and after.
public enum MetricsSample {
    /// The value of the first sample of `metric` whose labels include each of `labels`
    /// (`name="value"`), nil when there is none.
    public static func value(_ metric: String, labels: [String]) -> String? {
        let text = String(decoding: HubMetrics.render(), as: UTF8.self)
        return text.split(separator: "\n").first { line in
            line.hasPrefix(metric + "{") && labels.allSatisfy { line.contains($0) }
        }.map { String($0.split(separator: " ").last ?? "") }
    }
}
