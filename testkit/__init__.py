"""Support code shared by the tests, the benchmarks and the evals: the servers of a test run,
HTTP helpers, canned captions, a multi-process cluster. Never shipped (not in the wheel) and never
imported by shipped code; it never imports tests/ (import-linter checks both)."""
