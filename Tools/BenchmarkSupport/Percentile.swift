/// Percentiles by nearest rank: the smallest sample at or above the fraction `p` of them.
public enum Percentile {
    /// The `p` (0 < p ≤ 1) percentile of `sorted`, ascending; nil when it is empty.
    public static func nearestRank<T>(_ sorted: [T], _ p: Double) -> T? {
        guard !sorted.isEmpty else { return nil }
        return sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }
}
