/// The time webhook-service's handlers took for one route, read from its `/metrics`: the
/// request-duration histogram `RequestMetricsMiddleware` records, from the request reaching the
/// router to the handler's answer (so not reading the request off the socket nor writing the
/// answer). Read before and after a latency run, it tells the publishes the service itself was
/// slow on from the ones the tool saw answered late for other reasons.
struct HandlerTimes {
    /// Requests at or under each bucket's bound (seconds), cumulative as Prometheus writes them.
    private(set) var atMost: [Double: Double] = [:]

    /// Adds the route's `http_server_request_duration_bucket` lines (every method and status).
    mutating func add(prometheusText text: String, route: String) {
        for line in text.split(separator: "\n") where line.hasPrefix("http_server_request_duration_bucket{") {
            guard line.contains("http_route=\"\(route)\""),
                let bound = line.range(of: "le=\"").map({ line[$0.upperBound...].prefix { $0 != "\"" } }),
                let le = bound == "+Inf" ? Double.infinity : Double(bound),
                let count = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            atMost[le, default: 0] += count
        }
    }

    /// Requests since `earlier` that took longer than `seconds` (a bucket bound: 0.005, 0.01,
    /// 0.025, 0.05…); nil when the histogram has no such bound.
    func over(_ seconds: Double, since earlier: HandlerTimes) -> Int? {
        guard let under = atMost[seconds], let all = atMost[.infinity] else { return nil }
        return Int((all - (earlier.atMost[.infinity] ?? 0)) - (under - (earlier.atMost[seconds] ?? 0)))
    }
}
