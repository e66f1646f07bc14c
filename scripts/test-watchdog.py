#!/usr/bin/env python3
# usage: test-watchdog.py [--stall-minutes N] -- COMMAND [ARGS...]
"""Runs the test command and makes sure it ends, and ends clean.

* Output passes through unchanged, line by line.
* Swift Testing's "started" / "passed" / "failed" lines are tracked. When no test finishes for
  --stall-minutes (default 15; a whole run takes about two minutes), the watchdog prints the tests
  that are still running, the threads of every test process (through gdb, when present), stops
  the run and exits 124. A hung test fails the run with a diagnosis instead of holding CI for hours.
* The watchdog is a child subreaper: processes the tests started and left behind (a server whose
  test crashed before stopping it) become its children. After the run each one is named and
  stopped, and the run fails: a leftover process is a bug in the test that started it, and it
  would otherwise keep the caller's output pipe open.
Exit status: the command's; 124 after a stall; 1 when the command passed but left processes.
"""
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time

PR_SET_CHILD_SUBREAPER = 36
STARTED = re.compile(r"Test (.+?) started\.")
ENDED = re.compile(r"Test (.+?) (?:with \d+ test cases? )?(?:passed|failed|skipped)")


def reap():
    """Collects exited children, among them orphans that were reparented to the watchdog."""
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                return
        except ChildProcessError:
            return


def children_of(pid):
    """Live (not zombie) children of pid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return found


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()[:300]
    except OSError:
        return "?"


def descendants(pid):
    result, queue = [], [pid]
    while queue:
        for child in children_of(queue.pop()):
            result.append(child)
            queue.append(child)
    return result


def dump_threads(pids):
    gdb = "/usr/bin/gdb"
    for pid in pids:
        name = command_line(pid)
        if "xctest" not in name and "swiftpm-testing-helper" not in name:
            continue
        print(f"watchdog: threads of {pid} ({name})", flush=True)
        if not os.access(gdb, os.X_OK):
            print("watchdog: gdb is not installed; no backtraces", flush=True)
            continue
        subprocess.run([gdb, "-p", str(pid), "-batch", "-nx", "-ex", "thread apply all bt 25"],
                       stdin=subprocess.DEVNULL, timeout=180, check=False)


def stop_all(pids):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        time.sleep(2)
        reap()


def main():
    arguments = sys.argv[1:]
    stall_minutes = 15.0
    if len(arguments) >= 2 and arguments[0] == "--stall-minutes":
        stall_minutes = float(arguments[1])
        arguments = arguments[2:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    if not arguments:
        print("usage: test-watchdog.py [--stall-minutes N] -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("watchdog: cannot become a child subreaper; leftover processes go unnoticed", flush=True)

    running = {}
    last_progress = [time.monotonic()]
    lock = threading.Lock()
    child = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def pump():
        for raw in child.stdout:
            line = raw.decode(errors="replace")
            sys.stdout.write(line)
            sys.stdout.flush()
            with lock:
                started = STARTED.search(line)
                if started:
                    running[started.group(1)] = time.monotonic()
                ended = ENDED.search(line)
                if ended:
                    running.pop(ended.group(1), None)
                    last_progress[0] = time.monotonic()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    stalled = False
    while child.poll() is None:
        time.sleep(5)
        with lock:
            idle = time.monotonic() - last_progress[0]
            waiting = sorted(running.items(), key=lambda item: item[1])
        if idle > stall_minutes * 60:
            stalled = True
            print(f"\nwatchdog: no test finished for {idle / 60:.0f} minutes; still running:", flush=True)
            for name, since in waiting:
                if not name.startswith("case passing"):
                    print(f"watchdog:   {name} (for {(time.monotonic() - since) / 60:.0f} min)", flush=True)
            family = descendants(os.getpid())
            for pid in family:
                print(f"watchdog:   process {pid}: {command_line(pid)}", flush=True)
            dump_threads(family)
            stop_all(descendants(os.getpid()))
            break
    status = child.wait()
    reader.join(timeout=10)
    reap()

    leftovers = descendants(os.getpid())
    if leftovers:
        print("watchdog: the tests left these processes running (stopping them now):", flush=True)
        for pid in leftovers:
            print(f"watchdog:   {pid}: {command_line(pid)}", flush=True)
        stop_all(leftovers)
        reap()
    if stalled:
        return 124
    if status == 0 and leftovers:
        return 1
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main())
