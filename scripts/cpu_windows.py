#!/usr/bin/env python3
"""Runs a command and, for each life of a sync-worker process it starts (a window), sums that
worker's CPU and PostgreSQL's meanwhile, read from /proc. For benchmark code that does not read
CPU itself (an older commit's, in scripts/bench-sync-baseline).

Only what the command starts counts: sync-workers descending from it, and PostgreSQL clusters
(processes named postgres, of the user that runs PostgreSQL: hubpg under root) whose postmaster
started after it. A cluster's CPU is read as its postmaster's own and waited-for children's ticks
plus every live child's own, at the window's start and end, as sync-benchmark's ProcessCPU does:
a backend that exits in the window is counted once. Processes are keyed by pid and start time.
The window spans the worker's whole life, start-up and shutdown included. The command's output
passes through; each window ends with a line `cpu-window <sync-worker seconds> <PostgreSQL seconds>`.

Usage: scripts/cpu_windows.py <command> [arguments...]
"""
import os
import pwd
import subprocess
import sys
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")


def postgres_uid():
    """PostgreSQL refuses root, so the scripts run it as hubpg under root and as the caller otherwise."""
    if os.geteuid() != 0:
        return os.geteuid()
    try:
        return pwd.getpwnam("hubpg").pw_uid
    except KeyError:
        return None  # made by the benchmark script on a new machine


def processes():
    """Every process: (pid, start time) -> (parent pid, own ticks, waited-for children's ticks, name, uid)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                text = handle.read()
            name = text[text.index("(") + 1:text.rfind(")")]
            fields = text[text.rfind(")") + 2:].split()
            uid = os.stat(f"/proc/{entry}").st_uid
            table[(int(entry), int(fields[19]))] = (
                int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]), name, uid)
        except (OSError, ValueError, IndexError):
            pass  # gone between the listing and the read
    return table


def measure(table, root_pid, since, uid):
    """The command's sync-workers' ticks by process, and its PostgreSQL clusters' total ticks."""
    parents = {pid: value[0] for (pid, _), value in table.items()}

    def descends(pid):
        for _ in range(64):
            if pid == root_pid:
                return True
            pid = parents.get(pid)
            if pid is None or pid <= 1:
                return False
        return False

    workers = {key: value[1] for key, value in table.items() if value[3].startswith("sync-worker") and descends(key[0])}
    postgres = {key: value for key, value in table.items() if value[3] == "postgres" and value[4] == uid}
    pids = {pid for pid, _ in postgres}
    masters = {key for key, value in postgres.items() if value[0] not in pids and key[1] >= since}
    master_pids = {pid for pid, _ in masters}
    total = sum(postgres[key][1] + postgres[key][2] for key in masters)
    total += sum(value[1] for value in postgres.values() if value[0] in master_pids)
    return workers, total


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    since = next((key[1] for key in processes() if key[0] == child.pid), 0)
    lock = threading.Lock()

    def relay():
        for line in child.stdout:
            with lock:
                sys.stdout.write(line)
                sys.stdout.flush()

    def report(window, postgres_end):
        with lock:
            print(f"cpu-window {sum(window['workers'].values()) / TICKS:.3f} "
                  f"{(postgres_end - window['postgres']) / TICKS:.3f}", flush=True)

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    window = None
    postgres = 0
    while child.poll() is None:
        uid = postgres_uid()
        workers, postgres = measure(processes(), child.pid, since, uid)
        if workers and window is None:
            window = {"workers": {}, "postgres": postgres}
        if window is not None:
            window["workers"].update(workers)
            if not workers:
                report(window, postgres)
                window = None
        time.sleep(0.05)
    reader.join()
    if window is not None:  # the command ended with a worker's life: what was last read
        report(window, postgres)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
