"""Scripts the book needs: offline data, notebook execution, checks."""
