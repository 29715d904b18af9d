"""The process's Prometheus instruments, importable from any layer (prometheus-client only).

``app.metrics`` exposes them at ``/metrics``; lower layers (background jobs, imports) only
count here.
"""

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "techmatch_http_requests_total",
    "HTTP requests by route and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "techmatch_http_request_duration_seconds", "HTTP request latency by route", ["method", "route"]
)
MATCH_LATENCY = Histogram(
    "techmatch_match_duration_seconds",
    "Latency of match requests (needs → offers, offers → needs)",
    ["side"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
JOB_RUNS = Counter(
    "techmatch_job_runs_total", "Background job passes by job and outcome", ["job", "outcome"]
)
JOB_DURATION = Histogram("techmatch_job_duration_seconds", "Background job pass duration", ["job"])
IMPORTS = Counter(
    "techmatch_imports_total", "Listing imports by kind and outcome", ["kind", "outcome"]
)
IMPORTED_ROWS = Counter("techmatch_imported_rows_total", "Listings created by imports", ["kind"])
INDEX_SYNC = Histogram("techmatch_index_sync_duration_seconds", "Live index catch-up time")
