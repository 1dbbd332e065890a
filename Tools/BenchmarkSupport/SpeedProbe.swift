import HubCore

/// A fixed single-threaded computation timed before and after a benchmark, printed beside its
/// figures. The 2-core VMs these benchmarks run on drift in speed by half and more over minutes
/// (an idle machine ran the same Python loop in 0.77 s and in 1.46 s); the probe tells a reader
/// whether a figure came from a fast or a slow moment. Lower is faster.
public enum SpeedProbe {
    /// Milliseconds for 200 million dependent xorshift steps, the best of three tries.
    public static func milliseconds() -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let clock = ContinuousClock()
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            let elapsed = clock.measure {
                for _ in 0..<200_000_000 {
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                }
            }
            // Kept alive: the optimizer may not drop a loop whose result is used.
            if state == 0 { print("") }
            best = min(best, elapsed.inMilliseconds)
        }
        return best
    }

    /// `speed probe: 412 ms (lower is faster)`, for a benchmark's report.
    public static func line(_ label: String = "speed probe") -> String {
        "\(label): \(Int(milliseconds().rounded())) ms (a fixed CPU loop; lower is faster, this VM's own speed drifts)"
    }
}
