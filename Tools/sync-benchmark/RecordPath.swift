import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import HubConnectors
import HubCore
import HubSync

/// `--record-path`: sync-worker's own work per pulled record, without PostgreSQL, Redis or the
/// network in the figure: Stripe customer pages fetched once from the sandbox, then, round after
/// round, each page parsed into records (with each object's text), the records prepared for the store (payload
/// hashed, canonical fields mapped and serialized) and their `customer.created` events
/// written, as the worker does. Timed on this thread's CPU clock, so the machine's other load
/// matters less than to wall time; the figures are the median round's.
struct RecordPath {
    let pages: [[UInt8]]
    let mapping: FieldMapping

    struct Figures {
        var records = 0
        var parse = 0.0
        var prepare = 0.0
        var events = 0.0
        var total: Double { parse + prepare + events }
    }

    /// Fetches `count` pages of 100 customers from the sandbox, as the worker would ask for them.
    static func fetch(sandboxURL: String, count: Int) async throws -> [[UInt8]] {
        var pages: [[UInt8]] = []
        var after: String?
        for _ in 0..<count {
            var url = sandboxURL + "/stripe/v1/customers?limit=100"
            if let after { url += "&starting_after=\(after)" }
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Authorization", value: "Bearer sk_test_sandbox")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = Array(buffer: try await response.body.collect(upTo: 16 << 20))
            guard response.status == .ok, let page = JSONReader.parse(body), let last = page["data"]?.arrayValue?.last else {
                throw BenchmarkError("the sandbox did not answer a page of customers (\(response.status))")
            }
            pages.append(body)
            after = last["id"]?.stringValue
        }
        return pages
    }

    /// One round over every page; CPU seconds per stage.
    func round() throws -> Figures {
        var figures = Figures()
        let organization = UUID()
        let connection = UUID()
        for page in pages {
            var start = Self.threadCPU()
            guard let (list, texts) = JSONReader.parse(page, elementsOf: "data"), let items = list["data"]?.arrayValue,
                texts.count == items.count
            else { throw BenchmarkError("a page is not a list") }
            let records = zip(items, texts).map { item, text in
                ProviderRecord(externalID: item["id"]?.stringValue ?? "", updatedAt: nil, payload: item, payloadText: text)
            }
            var now = Self.threadCPU()
            figures.parse += now - start
            start = now
            let prepared = PreparedRecord.prepare(records, mapping: mapping)
            now = Self.threadCPU()
            figures.prepare += now - start
            let result = RecordStore.PageResult(
                changes: prepared.map { .init(kind: .created, id: UUID(), externalID: $0.externalID) }
            )
            start = Self.threadCPU()
            let events = EntityEvents.events(
                for: result,
                organization: organization,
                connection: connection,
                provider: "stripe",
                entity: "customers",
                records: prepared
            )
            now = Self.threadCPU()
            figures.events += now - start
            figures.records += events.count
        }
        return figures
    }

    /// Runs `rounds` rounds and prints the median round's microseconds per record.
    func report(rounds: Int) throws {
        var all: [Figures] = []
        for _ in 0..<rounds { all.append(try round()) }
        let median = all.sorted { $0.total < $1.total }[all.count / 2]
        func micro(_ seconds: Double) -> String { String(format: "%.2f", seconds / Double(median.records) * 1e6) }
        let spread = all.map { $0.total / Double($0.records) * 1e6 }
        print("record path: \(median.records) records a round, \(rounds) rounds; µs of CPU per record (median round):")
        print("  parse \(micro(median.parse))   prepare \(micro(median.prepare))   events \(micro(median.events))   total \(micro(median.total))")
        print("  rounds ranged \(String(format: "%.2f", spread.min() ?? 0))–\(String(format: "%.2f", spread.max() ?? 0)) µs per record")
    }

    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
