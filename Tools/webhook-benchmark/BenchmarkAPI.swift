import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import HubCore
import HubWebhooks
import NIOCore
import NIOHTTP1
import Synchronization

/// The calls the benchmark makes to webhook-service, spread over its replicas.
struct BenchmarkAPI: Sendable {
    let client: HTTPClient
    let baseURLs: [String]
    let environment: [String: String]

    func waitUntilReady() async throws {
        for base in baseURLs {
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                if let response = try? await client.execute(HTTPClientRequest(url: "\(base)/readyz"), timeout: .seconds(2)),
                    response.status == .ok
                {
                    break
                }
                guard ContinuousClock.now < deadline else { throw BenchmarkError("\(base) never became ready") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    func token(organization: UUID) async throws -> String {
        let configuration = try HubConfiguration.load(service: .webhook, environment: environment)
        return try await TokenVerifier(configuration: configuration.auth).sign(
            Identity(organizationID: organization, subject: "benchmark"),
            expiresIn: 3_600
        )
    }

    func subscribe(url: String, token: String) async throws -> SigningSecret {
        let reply = try await post(
            "/api/v1/integrations/webhooks/subscriptions",
            token: token,
            body: #"{"url": "\#(url)", "event_types": ["invoice.*"]}"#
        )
        guard let text = reply["secret"] as? String, let secret = SigningSecret(text: text) else {
            throw BenchmarkError("subscribing failed: \(reply)")
        }
        return secret
    }

    /// `count` events from `concurrency` publishers, each on a keep-alive connection of its own
    /// (`PublisherConnection`: the tool shares the two cores with the hub, and AsyncHTTPClient
    /// cost it about as much again per request) and taking the next event until all are sent;
    /// every answer must be 202 (accepted, committed with its deliveries). Fails when no answer
    /// comes for 30 s. Without a schedule each publisher sends as soon as it is free; with one
    /// (the latency scenario's open loop) an event leaves when it falls due, whatever the earlier
    /// ones do, from whichever publisher took it. Returns how long each publish took to be
    /// answered from when it left or fell due.
    @discardableResult
    func publish(count: Int, concurrency: Int, token: String, schedule: PublishSchedule? = nil) async throws -> [UInt64] {
        let next = PublishProgress()
        let publishers = min(concurrency, count)
        return try await withThrowingTaskGroup(of: [UInt64].self) { group in
            group.addTask {
                try await next.watch(stall: .seconds(30))
                return []
            }
            for publisher in 0..<publishers {
                guard let base = URL(string: baseURLs[publisher % baseURLs.count]), let host = base.host, let port = base.port else {
                    throw BenchmarkError("\(baseURLs[publisher % baseURLs.count]) is not http://host:port")
                }
                group.addTask {
                    try await PublisherConnection.with(host: host, port: port) { send in
                        var answered: [UInt64] = []
                        while let index = next.take(below: count) {
                            let departure = try await schedule?.wait(for: index) ?? DispatchTime.now().uptimeNanoseconds
                            let body = ByteBuffer(string: Self.event(index: index, sentAt: departure))
                            let (status, answer) = try await send(Self.eventHead(host: host, port: port, token: token, body: body), body)
                            guard status == .accepted else { throw BenchmarkError("publishing failed: \(status) \(String(buffer: answer))") }
                            next.answered()
                            answered.append(DispatchTime.now().uptimeNanoseconds - departure)
                        }
                        return answered
                    }
                }
            }
            // The publishers, then the watch: it runs until cancelled.
            var answered: [UInt64] = []
            for _ in 0..<publishers { answered += try await group.next() ?? [] }
            group.cancelAll()
            return answered
        }
    }

    /// The head of `POST /events` carrying `body`.
    static func eventHead(host: String, port: Int, token: String, body: ByteBuffer) -> HTTPRequestHead {
        HTTPRequestHead(
            version: .http1_1,
            method: .POST,
            uri: "/api/v1/integrations/events",
            headers: [
                "host": "\(host):\(port)", "authorization": "Bearer \(token)", "content-type": "application/json",
                "content-length": String(body.readableBytes),
            ]
        )
    }

    /// The body of one published event: `t` is when it was sent (the receiver's latency clock).
    static func event(index: Int, sentAt: UInt64) -> String {
        #"{"type": "invoice.created", "data": {"t": \#(sentAt), "n": \#(index), "total": 1999, "currency": "EUR"}}"#
    }

    /// `count` events in batches of `size` through `POST /events/batch`, `concurrency` requests
    /// in flight; every answer must say each of its events was accepted.
    func publishBatches(count: Int, size: Int, concurrency: Int, token: String) async throws {
        let batches = (count + size - 1) / size
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let batch = next
                next += 1
                let first = batch * size
                let events = min(size, count - first)
                group.addTask { try await publishBatch(first: first, events: events, token: token) }
            }
            for _ in 0..<min(concurrency, batches) { add() }
            while try await group.next() != nil, next < batches { add() }
            try await group.waitForAll()
        }
    }

    func publishBatch(first: Int, events: Int, token: String) async throws {
        let sentAt = DispatchTime.now().uptimeNanoseconds
        let items = (first..<(first + events)).map { Self.event(index: $0, sentAt: sentAt) }
        var request = HTTPClientRequest(url: baseURLs[first / max(1, events) % baseURLs.count] + "/api/v1/integrations/events/batch")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"events": [\#(items.joined(separator: ","))]}"#))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
        guard response.status == .ok, json?["accepted"] as? Int == events else {
            throw BenchmarkError("publishing a batch failed: \(response.status) \(String(buffer: body).prefix(500))")
        }
    }

    /// The publish route's request-duration histogram, summed over the replicas (`HandlerTimes`).
    func handlerTimes() async throws -> HandlerTimes {
        var times = HandlerTimes()
        for base in baseURLs {
            let response = try await client.execute(HTTPClientRequest(url: "\(base)/metrics"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 16 << 20)
            guard response.status == .ok else { throw BenchmarkError("\(base)/metrics answered \(response.status)") }
            times.add(prometheusText: String(buffer: body), route: "/api/v1/integrations/events")
        }
        return times
    }

    func post(_ path: String, token: String, body: String, base: String? = nil) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: (base ?? baseURLs[0]) + path)
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
    }
}

/// When the open loop's events fall due: the `index`th at `start + index × interval`, in uptime
/// nanoseconds. It keeps how late each one left: a publisher of the tool waiting for a core makes
/// its event late before the service sees it, and that counts in the answer's time.
final class PublishSchedule: Sendable {
    let start: UInt64
    let interval: Double
    private let late = Mutex<[UInt64]>([])

    init(start: UInt64, interval: Double) {
        self.start = start
        self.interval = interval
    }

    /// Sleeps until event `index` is due; its due time.
    func wait(for index: Int) async throws -> UInt64 {
        let due = start + UInt64(Double(index) * interval)
        let now = DispatchTime.now().uptimeNanoseconds
        if due > now { try await Task.sleep(nanoseconds: due - now) }
        let left = DispatchTime.now().uptimeNanoseconds
        late.withLock { $0.append(left > due ? left - due : 0) }
        return due
    }

    /// How late each event left its publisher, in nanoseconds.
    var lateness: [UInt64] { late.withLock { $0 } }
}

/// The next event to publish, shared by the publishers, and how many were answered.
final class PublishProgress: Sendable {
    private let next = Mutex(0)
    private let answers = Mutex(0)

    /// The next index below `end`, or nil once every one is taken.
    func take(below end: Int) -> Int? {
        next.withLock { next in
            guard next < end else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func answered() {
        answers.withLock { $0 += 1 }
    }

    /// Throws once `stall` passes without an answer (a service that accepts and goes silent must
    /// not hang the benchmark); runs until cancelled.
    func watch(stall: Duration) async throws {
        var last = answers.withLock { $0 }
        var since = ContinuousClock.now
        while true {
            try await Task.sleep(for: .seconds(1))
            let now = answers.withLock { $0 }
            if now != last {
                (last, since) = (now, .now)
            } else if ContinuousClock.now - since > stall {
                throw BenchmarkError("no publish was answered for \(stall) (\(now) answered)")
            }
        }
    }
}
