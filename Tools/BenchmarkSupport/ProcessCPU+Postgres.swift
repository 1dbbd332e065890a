import Logging
import PostgresNIO

extension ProcessCPU {
    /// The postmaster of the PostgreSQL `client` talks to, if it runs on this machine. Read while
    /// the backend that names it is held: its parent is looked up in /proc.
    public static func postmaster(of client: PostgresClient) async throws -> Int32? {
        try await client.withConnection { db in
            for try await pid in try await db.query("SELECT pg_backend_pid()", logger: Logger(label: "benchmark")).decode(Int32.self) {
                return postmaster(ofBackend: pid)
            }
            return nil
        }
    }
}
