"""What every other room of tools/ shares: the book's layout, atomic files, reproducible zips, the locks.

Owns: layout.py (where the editions, pages and build live), files.py (the one
atomic writer and the one reproducible-zip writer), locks.py (the one reader of
constraints*.txt), checks.py (how a check reports). Imports nothing from tools/.
"""
