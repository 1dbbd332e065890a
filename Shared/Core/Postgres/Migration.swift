import Foundation

/// One versioned schema change: a file `NNNN_name.sql` in `Shared/Core/Migrations`.
/// Files are forward-only; once applied, a file must not change (its checksum is recorded and
/// checked on every start).
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text, hex.
    public var checksum: String {
        sha256Hex(Data(sql.utf8))
    }

    /// The migrations shipped with the binary, in version order.
    public static func bundled() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.bundleMissing
        }
        return try load(from: directory)
    }

    /// Reads `NNNN_name.sql` files from a directory; rejects duplicate versions and other names.
    public static func load(from directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for file in files {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError.badFileName(file)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(next.version)
        }
        return migrations
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case bundleMissing
    case badFileName(String)
    case duplicateVersion(Int)
    /// A migration recorded as applied no longer matches its file: someone edited history.
    case checksumMismatch(version: Int, name: String)
    /// The database has a version this binary does not know: it is older than the schema.
    case unknownAppliedVersion(Int)

    public var description: String {
        switch self {
        case .bundleMissing: "the Migrations resource bundle is missing from this build"
        case .badFileName(let name): "migration file '\(name)' is not named NNNN_name.sql"
        case .duplicateVersion(let version): "two migration files have version \(version)"
        case .checksumMismatch(let version, let name):
            "migration \(version) (\(name)) was changed after it was applied; add a new migration instead"
        case .unknownAppliedVersion(let version):
            "the database has migration \(version), which this build does not know: deploy a newer build"
        }
    }
}
