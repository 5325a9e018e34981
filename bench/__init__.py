"""Benchmarks (`python -m bench`, `make bench`) and the demo community (`python manage.py demo`).

Every benchmark reports ratios against a baseline measured in the same run
(see DESIGN.md, Performance). `bench/__main__.py` lists them.
"""
