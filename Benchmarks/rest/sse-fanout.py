#!/usr/bin/env python3
# usage: sse-fanout.py --url URL --token TOKEN --clients N [--last-event-id K] [--timeout S]
"""Opens N concurrent Server-Sent Events connections to one run's event stream and reads each until
the server ends it. Prints one JSON line: how many clients connected, how many received every event
(ids 1..last with none missing or repeated, ending with run_finished), the distinct final ids, and
timings. Plain asyncio sockets (HTTP/1.1, chunked), no third-party packages."""
import argparse
import asyncio
import json
import time
import urllib.parse


async def follow(host, port, path, token, timeout, results, index, started):
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=30)
    except Exception as error:  # noqa: BLE001 - reported as a failed client
        results[index] = {"connected": False, "error": repr(error)}
        return
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
               f"Accept: text/event-stream\r\nConnection: close\r\n\r\n")
    writer.write(request.encode())
    await writer.drain()
    started.append(time.monotonic())
    data = bytearray()
    try:
        while True:
            chunk = await asyncio.wait_for(reader.read(65536), timeout=timeout)
            if not chunk:
                break
            data += chunk
    except Exception as error:  # noqa: BLE001
        results[index] = {"connected": True, "error": repr(error), "bytes": len(data)}
        writer.close()
        return
    writer.close()
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode(errors="replace")
    ids, types = [], []
    for line in body.split(b"\n"):
        if line.startswith(b"id: "):
            ids.append(int(line[4:].strip()))
        elif line.startswith(b"event: "):
            types.append(line[7:].strip().decode())
    complete = bool(ids) and ids == list(range(1, ids[-1] + 1)) and types and types[-1] == "run_finished"
    results[index] = {"connected": True, "status": status, "events": len(ids), "last": ids[-1] if ids else 0,
                      "complete": complete, "finished": time.monotonic()}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    results = [None] * args.clients
    started = []
    begin = time.monotonic()
    tasks = [asyncio.create_task(follow(url.hostname, url.port, url.path, args.token, args.timeout, results, i, started))
             for i in range(args.clients)]
    await asyncio.gather(*tasks)
    end = time.monotonic()
    connected = sum(1 for r in results if r and r.get("connected"))
    complete = [r for r in results if r and r.get("complete")]
    lasts = sorted({r["last"] for r in results if r and "last" in r})
    errors = [r.get("error") for r in results if r and r.get("error")][:5]
    print(json.dumps({
        "clients": args.clients, "connected": connected, "complete": len(complete),
        "distinctFinalIds": lasts, "eventsPerClient": max((r["events"] for r in complete), default=0),
        "secondsToConnectAll": round((max(started) - begin) if started else 0, 3),
        "secondsTotal": round(end - begin, 3), "errors": errors,
    }))


if __name__ == "__main__":
    asyncio.run(main())
