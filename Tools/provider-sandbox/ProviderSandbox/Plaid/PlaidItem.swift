/// One linked Item (a login at an institution): its accounts, its transactions, and an
/// append-only log of transaction changes that `/transactions/sync` cursors point into, so a sync
/// from any cursor is a slice of the log.
struct PlaidItem: Sendable {
    enum Change: Sendable {
        case added(PlaidTransaction)
        case modified(PlaidTransaction)
        case removed(transactionID: String, accountID: String)
    }

    let id: String
    let accessToken: String
    let institutionID: String
    var webhook: String?
    var accounts: [PlaidAccount]
    var transactions: [String: PlaidTransaction] = [:]
    private(set) var log: [Change] = []
    /// Set through the admin API (`ITEM_LOGIN_REQUIRED`): every data call fails with it.
    var error: PlaidAPIError?
    var generator: SeededGenerator

    init(id: String, accessToken: String, institutionID: String, webhook: String?, accounts: [PlaidAccount], generator: SeededGenerator) {
        self.id = id
        self.accessToken = accessToken
        self.institutionID = institutionID
        self.webhook = webhook
        self.accounts = accounts
        self.generator = generator
    }

    mutating func add(_ transaction: PlaidTransaction) {
        transactions[transaction.transactionID] = transaction
        log.append(.added(transaction))
    }

    mutating func modify(_ transaction: PlaidTransaction) {
        transactions[transaction.transactionID] = transaction
        log.append(.modified(transaction))
    }

    mutating func remove(_ transactionID: String) -> Bool {
        guard let transaction = transactions.removeValue(forKey: transactionID) else { return false }
        log.append(.removed(transactionID: transactionID, accountID: transaction.accountID))
        return true
    }

    /// What changed in `log[range]`, folded per transaction as Plaid reports it: an object added
    /// and then modified in the same page appears once, in `added`, in its latest state.
    func changes(in range: Range<Int>) -> (added: [PlaidTransaction], modified: [PlaidTransaction], removed: [(String, String)]) {
        var added: [PlaidTransaction] = []
        var addedIndex: [String: Int] = [:]
        var modified: [PlaidTransaction] = []
        var modifiedIndex: [String: Int] = [:]
        var removed: [(String, String)] = []
        for change in log[range] {
            switch change {
            case .added(let transaction):
                addedIndex[transaction.transactionID] = added.count
                added.append(transaction)
            case .modified(let transaction):
                if let index = addedIndex[transaction.transactionID] {
                    added[index] = transaction
                } else if let index = modifiedIndex[transaction.transactionID] {
                    modified[index] = transaction
                } else {
                    modifiedIndex[transaction.transactionID] = modified.count
                    modified.append(transaction)
                }
            case .removed(let transactionID, let accountID):
                removed.append((transactionID, accountID))
            }
        }
        let gone = Set(removed.map(\.0))
        return (added.filter { !gone.contains($0.transactionID) }, modified.filter { !gone.contains($0.transactionID) }, removed)
    }
}
