"""``make bench``: benchmarks at network scale (not tests; nothing here asserts a time).

``python -m bench`` seeds a synthetic, fictional network into a database of its own, serves it
under gunicorn, measures, prints a table and writes ``bench/results/latest.json``. See
``bench/README.md``. ``bench/engine_bench.py`` (the pure engine) also runs on its own.
"""
