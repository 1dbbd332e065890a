import Foundation
import HubCore
import Synchronization

/// Deliveries the transaction that accepted their event already claimed for a dispatcher of this
/// process, passed to it in memory once that transaction committed: they are sent without
/// waiting for a poll or a claim query. The claim is the usual one (a lease and a claim token on
/// the row), so if this process dies before sending, the rows are due again after the lease like
/// any other claim, and no other replica can take them meanwhile.
///
/// A dispatcher opens a mailbox while it runs and says how much it can take; an accept asks for a
/// `Ticket` (nil when no dispatcher here has room, and then nothing is claimed at accept time).
public final class DeliveryHandoff: Sendable {
    /// What an accepting transaction needs to claim deliveries for one mailbox.
    public struct Ticket: Sendable {
        /// The claim token written on the rows; it also names the mailbox.
        public let token: UUID
        public let leaseSeconds: Double
        /// Subscriptions whose deliveries are not claimed at accept time (the dispatcher has
        /// as many of theirs as it may run), so they wait in the table for a regular claim.
        public let saturated: [UUID]
        let mailbox: UUID
    }

    /// How much a dispatcher can take now: free places, and the subscriptions it has no room for.
    public struct Room: Sendable {
        public var free: Int
        public var saturated: [UUID]

        public init(free: Int, saturated: [UUID]) {
            self.free = free
            self.saturated = saturated
        }
    }

    private struct Mailbox {
        var leaseSeconds: Double
        var room: @Sendable () -> Room
        var inbox: [ClaimedDelivery] = []
        var leftInTable: Set<UUID> = []
    }

    /// What a mailbox held: claimed deliveries, and the saturated subscriptions whose
    /// deliveries accepts left in the table.
    struct Contents {
        var deliveries: [ClaimedDelivery] = []
        var leftInTable: Set<UUID> = []
    }

    private let mailboxes = Mutex<[UUID: Mailbox]>([:])

    public init() {}

    /// Opens a mailbox for a dispatcher; `room` is asked at every accept.
    func open(leaseSeconds: Double, room: @escaping @Sendable () -> Room) -> UUID {
        let id = UUID()
        mailboxes.withLock { $0[id] = Mailbox(leaseSeconds: leaseSeconds, room: room) }
        return id
    }

    /// Closes a mailbox; what it still held is returned (claimed rows the caller gives back).
    func close(_ id: UUID) -> [ClaimedDelivery] {
        mailboxes.withLock { $0.removeValue(forKey: id)?.inbox ?? [] }
    }

    /// A ticket for the open mailbox with the most room, or nil when none has any.
    public func ticket() -> Ticket? {
        let candidates = mailboxes.withLock { $0.map { (id: $0.key, lease: $0.value.leaseSeconds, room: $0.value.room) } }
        var best: (id: UUID, lease: Double, room: Room)?
        for candidate in candidates {
            let room = candidate.room()
            if room.free > 0, room.free > best?.room.free ?? 0 { best = (candidate.id, candidate.lease, room) }
        }
        guard let best else { return nil }
        return Ticket(token: .random(), leaseSeconds: best.lease, saturated: best.room.saturated, mailbox: best.id)
    }

    /// Hands committed claims to the ticket's mailbox, with the saturated subscriptions whose
    /// deliveries were left in the table (the dispatcher claims those as theirs run down, rather
    /// than at once, when a claim would find them still at their limit). False when it closed
    /// meanwhile: the rows then come back after their lease.
    public func deliver(_ deliveries: [ClaimedDelivery], leftInTable: Set<UUID> = [], ticket: Ticket) -> Bool {
        guard !deliveries.isEmpty || !leftInTable.isEmpty else { return true }
        return mailboxes.withLock { boxes -> Bool in
            guard boxes[ticket.mailbox] != nil else { return false }
            boxes[ticket.mailbox]?.inbox.append(contentsOf: deliveries)
            boxes[ticket.mailbox]?.leftInTable.formUnion(leftInTable)
            return true
        }
    }

    /// Empties a mailbox.
    func take(_ id: UUID) -> Contents {
        mailboxes.withLock { boxes -> Contents in
            guard let box = boxes[id], !box.inbox.isEmpty || !box.leftInTable.isEmpty else { return Contents() }
            boxes[id]?.inbox = []
            boxes[id]?.leftInTable = []
            return Contents(deliveries: box.inbox, leftInTable: box.leftInTable)
        }
    }
}
