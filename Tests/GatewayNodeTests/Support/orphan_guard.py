#!/usr/bin/env python3
"""Runs a test helper (moto, socat, a backend, the proxy) so that it cannot outlive the test process.

usage: orphan_guard.py COMMAND [ARG ...]

Forks a small watchdog, then execs COMMAND in this process (same PID, so the test keeps signalling
it directly). The watchdog checks twice a second: if COMMAND is gone it exits; if COMMAND's parent
(the test process) is gone, it kills COMMAND's process group (COMMAND, anything it forked, and the
watchdog itself) with SIGKILL. A test that crashes or is killed therefore leaves nothing running.
"""
import os
import signal
import sys
import time

if len(sys.argv) < 2:
    print("usage: orphan_guard.py COMMAND [ARG ...]", file=sys.stderr)
    sys.exit(2)
test_process = os.getppid()
target = os.getpid()
if os.fork() == 0:
    while True:
        time.sleep(0.5)
        if os.getppid() != target:
            os._exit(0)
        try:
            with open(f"/proc/{target}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            os._exit(0)
        if parent != test_process:
            try:
                os.killpg(os.getpgid(target), signal.SIGKILL)
            finally:
                os._exit(0)
os.execvp(sys.argv[1], sys.argv[1:])
