"""Running Werkpad in production: health and readiness, Prometheus metrics, structured logs."""
