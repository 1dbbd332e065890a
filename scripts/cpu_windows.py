#!/usr/bin/env python3
"""Runs a command and, for each life of a sync-worker process it starts (a window), sums that
worker's CPU and PostgreSQL's meanwhile, read from /proc. For benchmark code that does not read
CPU itself (an older commit's, in scripts/bench-sync-baseline).

PostgreSQL's processes are those of the service user (hubpg). A process alive at a window's end
counts the growth of its own ticks in the window; one that exited counts through its parent's
waited-for-children ticks, so no backend is counted twice. The command's output passes through;
each window ends with a line `cpu-window <sync-worker seconds> <PostgreSQL seconds>`.

Usage: scripts/cpu_windows.py <command> [arguments...]
"""
import os
import pwd
import subprocess
import sys
import threading
import time

SERVICE_USER = "hubpg"
TICKS = os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(parent, own ticks, waited-for children's ticks, start time) of a process."""
    with open(f"/proc/{pid}/stat") as handle:
        text = handle.read()
    fields = text[text.rfind(")") + 2:].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]), int(fields[19])


def snapshot(uid):
    """sync-worker processes' own ticks, and the service user's processes' stats, each keyed by
    pid and start time (a pid the kernel gives again is another process)."""
    workers, postgres = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as handle:
                command = handle.read().strip()
            if command.startswith("sync-worker"):
                _, own, _, started = stat(entry)
                workers[(entry, started)] = own
            elif uid is not None and os.stat(f"/proc/{entry}").st_uid == uid:
                value = stat(entry)
                postgres[(entry, value[3])] = value
        except (OSError, ValueError, IndexError):
            pass  # gone between the listing and the read
    return workers, postgres


def service_uid():
    try:
        return pwd.getpwnam(SERVICE_USER).pw_uid
    except KeyError:
        return None  # made by the benchmark script on a new machine


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lock = threading.Lock()

    def relay():
        for line in child.stdout:
            with lock:
                sys.stdout.write(line)
                sys.stdout.flush()

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    window = None
    while child.poll() is None:
        workers, postgres = snapshot(service_uid())
        # The postmaster: a service-user process whose parent is not one.
        pids = {key[0] for key in postgres}
        roots = {key: value[2] for key, value in postgres.items() if str(value[0]) not in pids}
        if workers and window is None:
            window = {"workers": {}, "first": {key: value[1] for key, value in postgres.items()}, "last": {},
                      "roots_first": dict(roots), "roots_last": {}}
        if window is not None:
            window["workers"].update(workers)
            for key, value in postgres.items():
                window["first"].setdefault(key, 0)  # born in the window: all its ticks count
                window["last"][key] = value[1]
            window["roots_last"].update(roots)
            if not workers:
                live = sum(window["last"][key] - window["first"][key] for key in postgres if key in window["last"])
                reaped = sum(last - window["roots_first"].get(key, last) for key, last in window["roots_last"].items())
                with lock:
                    print(f"cpu-window {sum(window['workers'].values()) / TICKS:.3f} {(live + reaped) / TICKS:.3f}", flush=True)
                window = None
        time.sleep(0.05)
    reader.join()
    if window is not None:  # the command ended with a worker's life: what was last read
        live = sum(last - window["first"][key] for key, last in window["last"].items())
        reaped = sum(last - window["roots_first"].get(key, last) for key, last in window["roots_last"].items())
        print(f"cpu-window {sum(window['workers'].values()) / TICKS:.3f} {(live + reaped) / TICKS:.3f}", flush=True)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
