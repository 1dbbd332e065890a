import Synchronization

/// Slack accepts about one message per second per channel: each channel's next free slot, per
/// process. Attempts for one channel wait for their slot (up to `maxWait`); a 429's `Retry-After`
/// holds the channel. Replicas pace separately; Slack's 429 covers what they overlap.
final class SlackChannelPacer: Sendable {
    let interval: Duration
    let maxWait: Duration
    private let slots = Mutex<[String: ContinuousClock.Instant]>([:])

    init(interval: Duration = .seconds(1), maxWait: Duration = .seconds(5)) {
        self.interval = interval
        self.maxWait = maxWait
    }

    /// Reserves the channel's next slot and returns the wait before it, or nil (nothing reserved)
    /// when the slot is further away than `maxWait`; `busyFor` then says how far.
    func reserve(_ channel: String) -> (wait: Duration?, busyFor: Duration) {
        slots.withLock { slots in
            let now = ContinuousClock.now
            let slot = max(now, slots[channel] ?? now)
            guard slot - now <= maxWait else { return (nil, slot - now) }
            slots[channel] = slot + interval
            return (slot - now, .zero)
        }
    }

    /// Keeps the channel closed for `duration` (Slack asked to wait).
    func hold(_ channel: String, for duration: Duration) {
        slots.withLock { slots in
            let until = ContinuousClock.now + duration
            slots[channel] = max(slots[channel] ?? until, until)
        }
    }
}
