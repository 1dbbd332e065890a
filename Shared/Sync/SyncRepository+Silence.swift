import PostgresNIO

/// One rule for "this job's worker has gone silent", shared by the claim, the read before
/// locking and the sweep that sends lost jobs again, so they never disagree about a worker.
extension PostgresQuery.StringInterpolation {
    /// A parenthesized condition, true for a `sync_jobs` row whose worker neither beat nor started
    /// it within `window`. A row with neither time counts as silent: nothing can show it alive.
    mutating func appendInterpolation(workerSilentFor window: Duration) {
        appendInterpolation(unescaped: "(coalesce(heartbeat_at, started_at, '-infinity') < now() - make_interval(secs => ")
        appendInterpolation(window.inSeconds)
        appendInterpolation(unescaped: "))")
    }
}
