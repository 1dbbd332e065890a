import Foundation
import HubCore
import Logging
import PostgresNIO

/// The canonical record store: the records synced per organization, connection and entity,
/// keyed by the provider's id. Pulls write whole pages in the caller's transaction (with the
/// job's cursor), so a crash never keeps half a page or a cursor past what was stored.
public struct RecordStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Which store rows one pull page touched.
    public struct PageResult: Sendable, Equatable {
        public struct Change: Sendable, Equatable {
            public enum Kind: String, Sendable { case created, updated, deleted }
            public var kind: Kind
            public var id: UUID
            public var externalID: String

            public init(kind: Kind, id: UUID, externalID: String) {
                self.kind = kind
                self.id = id
                self.externalID = externalID
            }
        }

        public var changes: [Change] = []
        public var skipped = 0
        public var conflicts: [Conflict] = []

        public init(changes: [Change] = [], skipped: Int = 0, conflicts: [Conflict] = []) {
            self.changes = changes
            self.skipped = skipped
            self.conflicts = conflicts
        }

        public func count(_ kind: Change.Kind) -> Int { changes.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) } }
    }

    /// A record changed on both sides since the last sync, and how the policy settled it.
    public struct Conflict: Sendable, Equatable {
        public var externalID: String
        public var winner: String
    }

    /// Where one pull writes.
    public struct Scope: Sendable {
        public var organization: UUID
        public var connection: UUID
        public var entity: String
        /// Set on a full resync: every record the pull sees is marked with it, for the sweep.
        public var seenJob: UUID?
        public var conflictPolicy: ConflictPolicy
        /// Set by a pull that began on a store holding nothing of its connection and entity (see
        /// `holdsNothing`): its records are inserted without looking for stored ones, and a record
        /// that is there after all fails the write with a unique violation, for the caller to
        /// write the page again without this.
        public var firstImport: Bool

        public init(
            organization: UUID,
            connection: UUID,
            entity: String,
            seenJob: UUID?,
            conflictPolicy: ConflictPolicy,
            firstImport: Bool = false
        ) {
            self.organization = organization
            self.connection = connection
            self.entity = entity
            self.seenJob = seenJob
            self.conflictPolicy = conflictPolicy
            self.firstImport = firstImport
        }
    }

    /// Whether the store holds no record at all (deleted and local ones included) of `scope`'s
    /// connection and entity: a pull that starts so may write as a `firstImport`.
    public func holdsNothing(_ scope: Scope) async throws -> Bool {
        let rows = try await client.query(
            "SELECT NOT EXISTS (SELECT FROM sync_records WHERE connection_id = \(scope.connection) AND entity = \(scope.entity))",
            logger: logger
        )
        for try await empty in rows.decode(Bool.self) { return empty }
        return false
    }

    // MARK: Pull

    /// Upserts a page of pulled records and marks the page's deletions, on `db` (the caller's
    /// transaction). Unchanged records (the same content) are skipped; records with a local
    /// write waiting for a push are settled by the conflict policy first.
    /// With `keepingNewer`, a record older than the stored one (by remote update time) is skipped:
    /// webhooks may deliver states out of order, and a pull's page may be older than a webhook's
    /// state applied while it was fetched. A state without a time (Stripe's customer listing) keeps
    /// the stored time, so a stale webhook retried later is still seen as older. A `firstImport`
    /// scope inserts without any of this: there is nothing stored to compare with or to settle.
    ///
    /// `deletedAt` is when the provider deleted `deletedIDs`, for deletions that arrive apart from
    /// the listing (a webhook's): a page fetched before it, holding an older state, does not bring
    /// the record back under `keepingNewer`.
    public func applyPull(
        _ records: [PreparedRecord],
        deletedIDs: [String],
        deletedAt: Date? = nil,
        scope: Scope,
        keepingNewer: Bool = false,
        on db: PostgresConnection
    ) async throws -> PageResult {
        var result = PageResult()
        assert(!(scope.firstImport && keepingNewer), "a first import has nothing stored to be newer than")
        if scope.firstImport {
            if !records.isEmpty { result.changes = try await insertNew(records, scope: scope, on: db) }
            if !deletedIDs.isEmpty {
                result.changes += try await markDeleted(externalIDs: deletedIDs, at: deletedAt, scope: scope, on: db)
            }
            return result
        }
        var upserts = records
        if !records.isEmpty {
            let pending = try await pendingLocalWrites(scope, externalIDs: records.map(\.externalID), on: db)
            if !pending.isEmpty {
                upserts = []
                for record in records {
                    guard let local = pending[record.externalID] else {
                        upserts.append(record)
                        continue
                    }
                    if keepingNewer, Self.isOlder(record, than: local.remoteUpdatedAt) {
                        result.skipped += 1
                        continue
                    }
                    if record.hasSameContent(asStored: local.payload, hash: local.hash) {  // the remote did not change
                        result.skipped += 1
                        continue
                    }
                    let remoteWins = Self.remoteWins(scope.conflictPolicy, remoteUpdatedAt: record.remoteUpdatedAt, localSince: local.since)
                    result.conflicts.append(Conflict(externalID: record.externalID, winner: remoteWins ? "remote" : "local"))
                    if remoteWins {
                        upserts.append(record)  // the upsert below clears the pending write
                    } else {
                        try await keepLocal(record, scope: scope, on: db)
                    }
                }
            }
        }
        if scope.seenJob != nil, !records.isEmpty {
            try await markSeen(records.map(\.externalID), scope: scope, on: db)
        }
        if !upserts.isEmpty {
            let changes = try await upsert(upserts, scope: scope, keepingNewer: keepingNewer, on: db)
            result.changes += changes
            result.skipped += upserts.count - changes.count
        }
        if !deletedIDs.isEmpty {
            result.changes += try await markDeleted(externalIDs: deletedIDs, at: deletedAt, scope: scope, on: db)
        }
        return result
    }

    /// Whether the remote's version wins a conflict under `policy`.
    public static func remoteWins(_ policy: ConflictPolicy, remoteUpdatedAt: Date?, localSince: Date?) -> Bool {
        switch policy {
        case .remoteWins: true
        case .localWins: false
        case .newestWins:
            // Without a remote time there is nothing to compare: the newer write is the local one
            // only if it has a time at all.
            (remoteUpdatedAt ?? .distantPast) >= (localSince ?? .distantPast)
        }
    }

    /// Whether `record` is an older state than the stored one; without both times it is not.
    static func isOlder(_ record: PreparedRecord, than stored: Date?) -> Bool {
        guard let stored, let incoming = record.remoteUpdatedAt else { return false }
        return incoming < stored
    }

    /// Writes a page's records, skipping those stored as they are. One whose payload did not
    /// change is still written when its canonical fields did: the mapping changed since (a full
    /// resync re-maps every record).
    func upsert(
        _ records: [PreparedRecord],
        scope: Scope,
        keepingNewer: Bool,
        on db: PostgresConnection
    ) async throws -> [PageResult.Change] {
        let columns = Columns(records)
        let rows = try await db.query(
            """
            INSERT INTO sync_records AS r (id, org_id, connection_id, entity, external_id, payload, canonical, content_hash,
                payload_is_providers, remote_updated_at, seen_job)
            SELECT hub_uuid_v7(), \(scope.organization), \(scope.connection), \(scope.entity), x.ext, x.payload,
                x.canonical, decode(x.hash, 'hex'), x.providers, to_timestamp(nullif(x.updated, 'NaN'::float8)), \(scope.seenJob)
            FROM unnest(\(columns.externalIDs)::text[], \(columns.payloads)::text[], \(columns.canonicals)::text[],
                \(columns.hashes)::text[], \(columns.providers)::bool[], \(columns.updated)::float8[])
                AS x(ext, payload, canonical, hash, providers, updated)
            ON CONFLICT (connection_id, entity, external_id) DO UPDATE SET
                payload = EXCLUDED.payload, canonical = EXCLUDED.canonical, content_hash = EXCLUDED.content_hash,
                payload_is_providers = EXCLUDED.payload_is_providers,
                remote_updated_at = coalesce(EXCLUDED.remote_updated_at, r.remote_updated_at), local_updated_at = now(),
                deleted_at = NULL,
                seen_job = coalesce(EXCLUDED.seen_job, r.seen_job),
                pending_op = NULL, pending_fields = NULL, pending_since = NULL
            WHERE (r.deleted_at IS NOT NULL OR r.pending_op IS NOT NULL
                    OR CASE WHEN r.content_hash = EXCLUDED.content_hash THEN false
                        WHEN r.payload_is_providers = EXCLUDED.payload_is_providers THEN true
                        ELSE NOT hub_same_json(r.payload, EXCLUDED.payload) END
                    OR (r.canonical <> EXCLUDED.canonical AND NOT hub_same_json(r.canonical, EXCLUDED.canonical)))
                AND NOT coalesce(\(keepingNewer) AND EXCLUDED.remote_updated_at < r.remote_updated_at, false)
            RETURNING r.id, r.external_id, (r.xmax = 0)
            """,
            logger: logger
        )
        var changes: [PageResult.Change] = []
        for try await (id, external, inserted) in rows.decode((UUID, String, Bool).self) {
            changes.append(.init(kind: inserted ? .created : .updated, id: id, externalID: external))
        }
        return changes
    }

    /// A page's records as the arrays a write unnests, one per column.
    struct Columns {
        var externalIDs: [String]
        var payloads: [String]
        var canonicals: [String]
        var hashes: [String]
        var providers: [Bool]
        /// Arrays cannot hold NULL through the driver: NaN stands for "no remote time".
        var updated: [Double]

        init(_ records: [PreparedRecord]) {
            externalIDs = records.map(\.externalID)
            payloads = records.map(\.payload)
            canonicals = records.map(\.canonicalText)
            hashes = records.map(\.contentHash)
            providers = records.map(\.payloadIsProviders)
            updated = records.map { $0.remoteUpdatedAt?.timeIntervalSince1970 ?? .nan }
        }
    }

    /// A first import's write: every record is new, so there is no stored state to compare, no
    /// local write to settle and nothing to mark seen (the insert marks it). A plain insert, ids
    /// made here and nothing returned: ON CONFLICT's check of the unique key before each row and
    /// the row sent back cost about a sixth of the upsert (docs/performance.md).
    func insertNew(_ records: [PreparedRecord], scope: Scope, on db: PostgresConnection) async throws -> [PageResult.Change] {
        let now = Date()
        let changes = records.map { PageResult.Change(kind: .created, id: .timeOrdered(at: now), externalID: $0.externalID) }
        let ids = changes.map(\.id)
        let columns = Columns(records)
        try await db.query(
            """
            INSERT INTO sync_records (id, org_id, connection_id, entity, external_id, payload, canonical, content_hash,
                payload_is_providers, remote_updated_at, seen_job)
            SELECT x.id, \(scope.organization), \(scope.connection), \(scope.entity), x.ext, x.payload, x.canonical,
                decode(x.hash, 'hex'), x.providers, to_timestamp(nullif(x.updated, 'NaN'::float8)), \(scope.seenJob)
            FROM unnest(\(ids)::uuid[], \(columns.externalIDs)::text[], \(columns.payloads)::text[], \(columns.canonicals)::text[],
                \(columns.hashes)::text[], \(columns.providers)::bool[], \(columns.updated)::float8[])
                AS x(id, ext, payload, canonical, hash, providers, updated)
            """,
            logger: logger
        )
        return changes
    }

    /// Records of the page with a local write waiting, with the stored remote payload and its hash.
    func pendingLocalWrites(
        _ scope: Scope,
        externalIDs: [String],
        on db: PostgresConnection
    ) async throws -> [String: (payload: String?, hash: String?, since: Date?, remoteUpdatedAt: Date?)] {
        let rows = try await db.query(
            """
            SELECT external_id, payload, encode(content_hash, 'hex'), pending_since, remote_updated_at FROM sync_records
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND pending_op IS NOT NULL
                AND external_id = ANY(\(externalIDs)::text[])
            FOR UPDATE
            """,
            logger: logger
        )
        var pending: [String: (payload: String?, hash: String?, since: Date?, remoteUpdatedAt: Date?)] = [:]
        for try await (external, payload, hash, since, remoteUpdatedAt) in rows.decode((String, String?, String?, Date?, Date?).self) {
            pending[external] = (payload, hash, since, remoteUpdatedAt)
        }
        return pending
    }

    /// The local write stands: take in the remote's payload (the next push answers it) but keep
    /// the local fields over the remote's canonical ones.
    func keepLocal(_ record: PreparedRecord, scope: Scope, on db: PostgresConnection) async throws {
        let updated = record.remoteUpdatedAt
        try await db.query(
            """
            UPDATE sync_records SET payload = \(record.payload), content_hash = decode(\(record.contentHash), 'hex'),
                payload_is_providers = \(record.payloadIsProviders),
                remote_updated_at = coalesce(\(updated), remote_updated_at), canonical = (\(record.canonicalText)::jsonb || coalesce(pending_fields, '{}'::jsonb))::text,
                local_updated_at = now()
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND external_id = \(record.externalID)
            """,
            logger: logger
        )
    }

    /// Notes the records a full resync's page listed, for its sweep: narrow rows in `sync_seen`,
    /// not a rewrite of each stored record.
    func markSeen(_ externalIDs: [String], scope: Scope, on db: PostgresConnection) async throws {
        guard let job = scope.seenJob else { return }
        try await db.query(
            """
            INSERT INTO sync_seen (job_id, external_id) SELECT \(job), unnest(\(externalIDs)::text[])
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
    }

    /// Marks records deleted (the provider's removed list or deletion events); already deleted
    /// ones are not counted again. A deletion's time `at`, when known, becomes the record's
    /// remote update time if later: the state it was deleted in is older than its deletion.
    public func markDeleted(
        externalIDs: [String],
        at deletedAt: Date? = nil,
        scope: Scope,
        on db: PostgresConnection
    ) async throws -> [PageResult.Change] {
        let rows = try await db.query(
            """
            UPDATE sync_records SET deleted_at = now(), local_updated_at = now(), pending_op = NULL, pending_fields = NULL,
                pending_since = NULL, remote_updated_at = greatest(remote_updated_at, \(deletedAt)::timestamptz)
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND external_id = ANY(\(externalIDs)::text[])
                AND deleted_at IS NULL
            RETURNING id, external_id
            """,
            logger: logger
        )
        var changes: [PageResult.Change] = []
        for try await (id, external) in rows.decode((UUID, String).self) {
            changes.append(.init(kind: .deleted, id: id, externalID: external))
        }
        return changes
    }

    /// After the last page of a full resync: what the pull did not see is gone at the provider.
    /// Records created locally and not yet pushed are not the provider's to delete, nor records
    /// written since the job started (an inbound webhook's record the listing had already passed;
    /// both times are PostgreSQL's clock).
    public func sweepUnseen(scope: Scope, on db: PostgresConnection) async throws -> [PageResult.Change] {
        // Seen is in sync_seen; a row written by this job carries its id too (seen_job), as do
        // rows marked by the code before sync_seen while this job ran.
        let rows = try await db.query(
            """
            UPDATE sync_records r SET deleted_at = now(), local_updated_at = now()
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND deleted_at IS NULL
                AND external_id IS NOT NULL AND seen_job IS DISTINCT FROM \(scope.seenJob)
                AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.job_id = \(scope.seenJob) AND s.external_id = r.external_id)
                AND local_updated_at < coalesce((SELECT started_at FROM sync_jobs WHERE id = \(scope.seenJob)), 'infinity')
            RETURNING id, external_id
            """,
            logger: logger
        )
        var changes: [PageResult.Change] = []
        for try await (id, external) in rows.decode((UUID, String).self) {
            changes.append(.init(kind: .deleted, id: id, externalID: external))
        }
        try await db.query(
            """
            DELETE FROM sync_seen WHERE job_id = ANY(ARRAY(
                SELECT id FROM sync_jobs WHERE connection_id = \(scope.connection) AND entity = \(scope.entity)
                    AND full_resync AND status NOT IN ('queued', 'running')
                UNION ALL SELECT \(scope.seenJob)::uuid))
            """,
            logger: logger
        )
        return changes
    }
}
