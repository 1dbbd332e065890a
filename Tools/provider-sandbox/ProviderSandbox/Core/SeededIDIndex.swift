import Synchronization

/// Finds which seeded record a generated id names, without keeping the ids: a table of their
/// 64-bit hashes sorted with each record's index (12 bytes a record), built the first time it is
/// needed. A match is confirmed against the regenerated id, so a hash collision cannot name the
/// wrong record. Shared by every copy of the state that made it, and safe to use from any thread.
final class SeededIDIndex: Sendable {
    private let count: Int
    private let generate: @Sendable (Int) -> String
    private let table = Mutex<(hashes: [UInt64], indices: [Int32])?>(nil)

    /// - Parameter id: the id of the record at an index in `0..<count`.
    init(count: Int, id: @escaping @Sendable (Int) -> String) {
        self.count = count
        generate = id
    }

    func index(of id: String) -> Int? {
        guard count > 0 else { return nil }
        let hash = SeededGenerator.stableHash(id)
        return table.withLock { table in
            let (hashes, indices) = table ?? build()
            table = (hashes, indices)
            var low = 0
            var high = hashes.count
            while low < high {
                let middle = (low + high) / 2
                if hashes[middle] < hash { low = middle + 1 } else { high = middle }
            }
            while low < hashes.count, hashes[low] == hash {
                let index = Int(indices[low])
                if generate(index) == id { return index }
                low += 1
            }
            return nil
        }
    }

    private func build() -> (hashes: [UInt64], indices: [Int32]) {
        let entries = (0..<count).map { (hash: SeededGenerator.stableHash(generate($0)), index: Int32($0)) }.sorted { $0.hash < $1.hash }
        return (entries.map(\.hash), entries.map(\.index))
    }
}
