"""Demo data for `outlay demo`, the demo org of `outlay up` and the benchmarks:
tooling, not the product."""
