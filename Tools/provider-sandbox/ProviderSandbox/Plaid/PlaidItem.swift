/// One linked Item (a login at an institution): its accounts, its transactions, and an
/// append-only log of transaction changes that `/transactions/sync` cursors point into, so a sync
/// from any cursor is a slice of the log. The log starts with the seeded transactions' additions,
/// which are generated when read (`PlaidSeeder`); only the changes after them are kept.
struct PlaidItem: Sendable {
    enum Change: Sendable {
        case added(PlaidTransaction)
        case modified(PlaidTransaction)
        case removed(transactionID: String, accountID: String)
    }

    /// The Item's seeded transactions: transaction `index` drawn from `start` advanced by
    /// `index` transactions' draws.
    struct Seeded: Sendable {
        let seeder: PlaidSeeder
        let start: SeededGenerator
        let accounts: [PlaidAccount]
        let ids: SeededIDIndex

        init(seeder: PlaidSeeder, start: SeededGenerator, accounts: [PlaidAccount]) {
            self.seeder = seeder
            self.start = start
            self.accounts = accounts
            ids = SeededIDIndex(count: seeder.volume) { index in PlaidSeeder.transactionID(start.advanced(by: index * PlaidSeeder.transactionDraws)) }
        }

        var count: Int { seeder.volume }

        func transaction(_ index: Int) -> PlaidTransaction {
            var generator = start.advanced(by: index * PlaidSeeder.transactionDraws)
            return seeder.transaction(day: index * PlaidSeeder.days.count / max(count, 1), generator: &generator, accounts: accounts)
        }
    }

    let id: String
    let accessToken: String
    let institutionID: String
    var webhook: String?
    var accounts: [PlaidAccount]
    private let seeded: Seeded?
    /// Transactions added or modified since seeding, by id.
    private var written: [String: PlaidTransaction] = [:]
    /// Seeded transactions removed since, by index.
    private var removed: Set<Int> = []
    /// The changes after the seeded additions.
    private var log: [Change] = []
    /// Set through the admin API (`ITEM_LOGIN_REQUIRED`): every data call fails with it.
    var error: PlaidAPIError?
    var generator: SeededGenerator

    init(
        id: String,
        accessToken: String,
        institutionID: String,
        webhook: String?,
        accounts: [PlaidAccount],
        generator: SeededGenerator,
        seeded: Seeded? = nil
    ) {
        self.id = id
        self.accessToken = accessToken
        self.institutionID = institutionID
        self.webhook = webhook
        self.accounts = accounts
        self.generator = generator
        self.seeded = seeded
    }

    /// The length of the change log (the seeded additions included).
    var changeCount: Int { seededCount + log.count }

    private var seededCount: Int { seeded?.count ?? 0 }

    /// The transaction with this id as it is now, or nil.
    func transaction(_ transactionID: String) -> PlaidTransaction? {
        if let transaction = written[transactionID] { return transaction }
        guard let index = seededIndex(transactionID) else { return nil }
        return seeded?.transaction(index)
    }

    private func seededIndex(_ transactionID: String) -> Int? {
        guard let seeded, let index = seeded.ids.index(of: transactionID), !removed.contains(index) else { return nil }
        return index
    }

    mutating func add(_ transaction: PlaidTransaction) {
        written[transaction.transactionID] = transaction
        log.append(.added(transaction))
    }

    mutating func modify(_ transaction: PlaidTransaction) {
        written[transaction.transactionID] = transaction
        log.append(.modified(transaction))
    }

    mutating func remove(_ transactionID: String) -> Bool {
        guard let transaction = transaction(transactionID) else { return false }
        written[transactionID] = nil
        if let index = seededIndex(transactionID) { removed.insert(index) }
        log.append(.removed(transactionID: transactionID, accountID: transaction.accountID))
        return true
    }

    private func change(at position: Int) -> Change {
        if position < seededCount, let seeded { return .added(seeded.transaction(position)) }
        return log[position - seededCount]
    }

    /// What changed in the log's `range`, folded per transaction as Plaid reports it: an object
    /// added and then modified in the same page appears once, in `added`, in its latest state.
    func changes(in range: Range<Int>) -> (added: [PlaidTransaction], modified: [PlaidTransaction], removed: [(String, String)]) {
        var added: [PlaidTransaction] = []
        var addedIndex: [String: Int] = [:]
        var modified: [PlaidTransaction] = []
        var modifiedIndex: [String: Int] = [:]
        var removed: [(String, String)] = []
        for position in range {
            switch change(at: position) {
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
