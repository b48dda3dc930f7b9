"""Seeded generator of realistic data, shared by the demo, the tests and the benchmarks."""
