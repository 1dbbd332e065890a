import Foundation

/// Resident memory of a process, read from `/proc/<pid>/status` (Linux).
enum ProcessMemory {
    /// Current resident set (`VmRSS`) in bytes, nil once the process is gone.
    static func resident(_ pid: Int32) -> Int? { field("VmRSS", pid) }

    /// Peak resident set so far (`VmHWM`) in bytes.
    static func peak(_ pid: Int32) -> Int? { field("VmHWM", pid) }

    static func field(_ name: String, _ pid: Int32) -> Int? {
        // /proc files report size 0, so read them to the end rather than by their stated size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/status") else { return nil }
        defer { try? handle.close() }
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }

    static func megabytes(_ bytes: Int?) -> String {
        bytes.map { String(format: "%.0f MB", Double($0) / 1_048_576) } ?? "n/a"
    }
}
