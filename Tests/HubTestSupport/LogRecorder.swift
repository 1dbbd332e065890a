import Logging
import Synchronization

/// Keeps what a logger was given at `level` or above, for tests that assert what a component
/// logged (a stuck call abandoned, a failed pass) rather than only what it did.
public final class LogRecorder: Sendable {
    /// One logged message with its metadata, rendered as text.
    public struct Entry: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]
    }

    public let level: Logger.Level
    private let entries = Mutex<[Entry]>([])

    public init(level: Logger.Level = .warning) {
        self.level = level
    }

    /// A logger whose messages this recorder keeps.
    public func logger(label: String) -> Logger {
        Logger(label: label) { _ in RecordingHandler(recorder: self, logLevel: self.level) }
    }

    public var all: [Entry] { entries.withLock { $0 } }

    /// The messages logged at exactly `level`.
    public func messages(at level: Logger.Level) -> [String] {
        all.filter { $0.level == level }.map(\.message)
    }

    /// Whether a message or a metadata value contains `text`.
    public func contains(_ text: String) -> Bool {
        count(containing: text) > 0
    }

    /// How many entries have `text` in their message or a metadata value.
    public func count(containing text: String) -> Int {
        all.count { $0.message.contains(text) || $0.metadata.values.contains { $0.contains(text) } }
    }

    fileprivate func record(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        recorder.record(.init(level: event.level, message: event.message.description, metadata: merged.mapValues(\.description)))
    }
}
