-- Prints a wrk run's figures as key=value lines (bench/lib.sh's record reads them). Loaded with dofile by
-- the other scripts of this folder. Latencies in ms; non2xx counts answers with a status of 400 or more
-- (wrk's errors.status), socket_errors everything that failed below HTTP.
function report(summary, latency)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  print(string.format("requests=%d", summary.requests))
  print(string.format("duration_s=%.2f", seconds))
  print(string.format("rps=%.1f", summary.requests / seconds))
  print(string.format("p50_ms=%.3f", latency:percentile(50) / 1000))
  print(string.format("p99_ms=%.3f", latency:percentile(99) / 1000))
  print(string.format("max_ms=%.3f", latency.max / 1000))
  print(string.format("non2xx=%d", e.status))
  print(string.format("socket_errors=%d", e.connect + e.read + e.write + e.timeout))
end
