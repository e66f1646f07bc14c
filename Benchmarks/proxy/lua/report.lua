-- wrk hook: one machine-readable RESULT line (latencies in microseconds, Bps = bytes read per second).
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.1f bytes=%d Bps=%.0f p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, summary.requests / secs, summary.bytes, summary.bytes / secs,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
