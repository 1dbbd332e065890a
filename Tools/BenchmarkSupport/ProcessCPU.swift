import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time (user + system) of processes, read from `/proc/<pid>/stat` (Linux): the cost of a
/// pull or a burst of webhooks summed over the processes doing it, steadier than wall time on a
/// VM whose speed drifts.
public enum ProcessCPU {
    /// The fields of one `/proc/<pid>/stat` line the benchmark reads.
    public struct Stat {
        public var parent: Int32
        /// utime + stime, seconds.
        public var own: Double
        /// cutime + cstime, seconds: children that exited and were waited for (a PostgreSQL
        /// backend whose connection closed during the pull is counted in its postmaster's).
        public var reaped: Double
    }

    public static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The process's figures, nil once it is gone (or on another machine).
    public static func stat(_ pid: Int32) -> Stat? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/stat") else { return nil }
        defer { try? handle.close() }
        // Not `readDataToEndOfFile()`, which traps on a read error: a process that exits after the
        // open fails the read with ESRCH (a PostgreSQL backend whose connection just closed).
        guard let data = try? handle.readToEnd() else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name is in parentheses and may hold spaces: fields are counted after it.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ")": state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17), so index n - 3.
        guard fields.count > 14, let parent = Int32(fields[1]) else { return nil }
        let ticks = (11...14).map { Double(fields[$0]) ?? 0 }
        return Stat(parent: parent, own: (ticks[0] + ticks[1]) / ticksPerSecond, reaped: (ticks[2] + ticks[3]) / ticksPerSecond)
    }

    /// CPU seconds of the processes so far; a process gone counts nothing.
    public static func seconds(_ pids: [Int32]) -> Double {
        pids.reduce(0) { $0 + (stat($1)?.own ?? 0) }
    }

    /// CPU seconds of a PostgreSQL cluster so far: the postmaster with its reaped children and
    /// every live child (backends, WAL writer, checkpointer, …). Nil when the postmaster is not
    /// on this machine.
    public static func cluster(postmaster: Int32) -> Double? {
        guard let root = stat(postmaster) else { return nil }
        var total = root.own + root.reaped
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), pid != postmaster, let child = stat(pid), child.parent == postmaster else { continue }
            total += child.own
        }
        return total
    }

    /// The postmaster of the server a backend belongs to, if the backend runs on this machine and
    /// is PostgreSQL's.
    public static func postmaster(ofBackend backend: Int32) -> Int32? {
        guard let parent = stat(backend)?.parent, parent > 1 else { return nil }
        let command = (try? String(contentsOfFile: "/proc/\(parent)/cmdline", encoding: .utf8)) ?? ""
        return command.contains("postgres") ? parent : nil
    }

    /// CPU seconds of this process so far (user + system, every thread).
    public static func ownProcess() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
