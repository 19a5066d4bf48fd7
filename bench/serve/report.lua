-- Shared by the wrk scripts: one machine-readable line with rps and latency percentiles (µs).
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50=%d p99=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
