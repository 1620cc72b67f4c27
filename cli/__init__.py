"""The coursegen command line: serve, generate, worker, bench."""
