/// Looks at `condition` every `interval` until it holds or `timeout` has passed; whether it held.
/// The one polling loop for tests that wait on something another process or task does.
public func waitUntil(
    upTo timeout: Duration,
    every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: interval)
    }
}
