"""The two editions: parity between the Spanish original and its English twin, and spelling.

Owns: parity.py (the check and --mark-translated), program.py, quoted.py,
outputs.py, language.py, records.py, notebook_pairs.py, page_pairs.py (its parts),
spellcheck.py (hunspell) with wordlists/, and parity_allowlist.txt. The page
records live beside the editions, in book/translations.json.
May import tools.common and tools.notebooks.
"""
