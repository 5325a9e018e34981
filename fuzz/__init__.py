"""Fuzzing the GraphQL API with schemathesis: `python -m fuzz` (`make fuzz`; `make test` runs `--quick`)."""

PASSWORD = "cercle-fuzz-password"  # every seeded member's: the fuzzer may log in with it
