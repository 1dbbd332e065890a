import Synchronization

/// The merchant's account behind one lock; requests work in short synchronous critical sections.
/// Every token the OAuth server issues (and the seeded token) reaches this one merchant: the
/// sandbox has one REST app, so one account.
final class PayPalStore: Sendable {
    private let state: Mutex<PayPalMerchant>
    let merchantID: String
    let seed: UInt64

    init(merchantID: String, volume: Int, seed: UInt64) {
        self.merchantID = merchantID
        self.seed = seed
        let volumes = PayPalMerchant.Volumes(transactions: volume, invoices: volume, disputes: volume)
        state = Mutex(PayPalMerchant(id: merchantID, volumes: volumes, seed: seed, anchor: PayPalTime.now))
    }

    func withMerchant<Result>(_ body: (inout PayPalMerchant) throws -> Result) rethrows -> Result {
        try state.withLock { try body(&$0) }
    }

    /// Seeds the account afresh at `volumes`, its transactions ending three hours before now.
    func reseed(_ volumes: PayPalMerchant.Volumes) {
        let merchant = PayPalMerchant(id: merchantID, volumes: volumes, seed: seed, anchor: PayPalTime.now)
        state.withLock { $0 = merchant }
    }
}
