"""The chapter notebooks as files and as programs.

Owns: files.py (canonical JSON, what counts as a change), lint.py (the chapter
template and code rules), harness.py (how every book kernel starts, with
kernel_startup/), figures.py (when a figure is the same figure), execute.py
(`make outputs`), templates/ (the chapter template).
May import tools.common and tools.assets.
"""
