import Synchronization

/// Every portal's objects behind one lock, each portal seeded when first called. Requests work
/// in short synchronous critical sections, never awaiting inside.
final class HubSpotStore: Sendable {
    private let portals = Mutex<[String: HubSpotPortal]>([:])
    let volume: Int

    init(volume: Int) {
        self.volume = volume
    }

    func withPortal<Result>(_ portal: String, _ body: (inout HubSpotPortal) throws -> Result) rethrows -> Result {
        try portals.withLock { (portals: inout [String: HubSpotPortal]) throws -> Result in
            // Taken out while `body` runs, so it is mutated in place, not copied.
            var state = portals.removeValue(forKey: portal) ?? HubSpotPortal(volume: volume)
            defer { portals[portal] = state }
            return try body(&state)
        }
    }

    /// Forgets every portal's changes (they are seeded again when next called).
    func reset() {
        portals.withLock { $0 = [:] }
    }
}
