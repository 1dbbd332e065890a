import Synchronization

/// Every tenant's ledger behind one lock, created when the tenant is first called: a token
/// issued by the emulated OAuth server reaches a tenant of its own, the seeded token the seeded
/// tenant. Requests work in short synchronous critical sections, never awaiting inside.
final class XeroStore: Sendable {
    private let ledgers = Mutex<[String: XeroLedger]>([:])
    let volume: Int

    init(volume: Int) {
        self.volume = volume
    }

    func withLedger<Result>(_ tenant: String, _ body: (inout XeroLedger) throws -> Result) rethrows -> Result {
        try ledgers.withLock { (ledgers: inout [String: XeroLedger]) throws -> Result in
            // Taken out while `body` runs, so its collections are mutated in place, not copied.
            var ledger = ledgers.removeValue(forKey: tenant) ?? XeroLedger(tenantID: tenant, volume: volume)
            defer { ledgers[tenant] = ledger }
            return try body(&ledger)
        }
    }

    /// Forgets every tenant's changes (they are seeded again when next called).
    func reset() {
        ledgers.withLock { $0 = [:] }
    }
}
