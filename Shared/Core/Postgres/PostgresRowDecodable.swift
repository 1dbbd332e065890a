import PostgresNIO

/// A value read from one row of a known column list (`init(row:)` sits beside that list), so a
/// query's rows decode the same way wherever the list is selected.
public protocol PostgresRowDecodable {
    init(row: PostgresRow) throws
}

extension PostgresRowSequence {
    /// Every row as a `T`; a column of another type than the list says is an error.
    public func decode<T: PostgresRowDecodable>(rows type: T.Type) async throws -> [T] {
        var values: [T] = []
        for try await row in self { values.append(try T(row: row)) }
        return values
    }
}
