#!/usr/bin/env python3
"""Closed-loop GET load: N keep-alive connections for D seconds; prints JSON counts.

usage: get_load.py URL CONNECTIONS SECONDS [HEADER: VALUE ...]
A request counts as failed when it raises (reset, truncated body, timeout) or answers >= 500.
The client never retries, so every failure the proxy lets through is counted.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url = urllib.parse.urlparse(sys.argv[1])
connections = int(sys.argv[2])
seconds = float(sys.argv[3])
headers = dict(h.split(": ", 1) for h in sys.argv[4:])
target = url.path + (("?" + url.query) if url.query else "")
lock = threading.Lock()
counts = {"ok": 0, "failed": 0, "statuses": {}, "errors": []}
stop_at = time.monotonic() + seconds


def worker():
    connection = None
    while time.monotonic() < stop_at:
        try:
            if connection is None:
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            body = response.read()
            length = response.getheader("Content-Length")
            good = response.status < 500 and (length is None or int(length) == len(body))
            with lock:
                counts["statuses"][str(response.status)] = counts["statuses"].get(str(response.status), 0) + 1
                counts["ok" if good else "failed"] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except Exception as error:  # noqa: BLE001
            with lock:
                counts["failed"] += 1
                if len(counts["errors"]) < 20:
                    counts["errors"].append(f"{type(error).__name__}: {error}")
            if connection is not None:
                connection.close()
            connection = None


threads = [threading.Thread(target=worker) for _ in range(connections)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(counts))
