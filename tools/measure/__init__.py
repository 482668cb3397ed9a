"""Figures and proofs about the whole book: `make portability` and `make bench`.

Owns: portability.py (strict nbval under other processors' numeric settings),
benchmark.py (times, memory, page weights). May import every other room.
"""
