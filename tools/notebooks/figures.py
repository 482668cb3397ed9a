"""Whether a figure is the same figure: the one tolerance for stored PNG outputs.

nbval leaves ``image/png`` out of its comparison (it compares images only
through nbdime, byte for byte), so the harness compares them here, with the
measure of a maintained library: ``matplotlib.testing.compare.compare_images``,
the root-mean-square difference of the pixels on the 0-255 scale (as matplotlib's
own image tests and pytest-mpl use it). Both nbval (tests/kernel_harness.py) and
``make outputs`` (which keeps a stored figure that is within the tolerance, so a
re-run on another processor rewrites nothing) decide with ``rms_difference``.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

# The largest RMS pixel difference (0-255 scale) that still counts as the same figure.
# Measured under every `make portability` variant: most of the book's 56 figures differ from
# the stored ones by less than 0.05 (a few anti-aliased pixels); the largest, 1.13, is chapter
# 5's controlled dropout experiment, whose small training run moves by about 1e-4 without
# oneDNN or with oneDNN held to AVX2, shifting a stretch of one curve by a fraction of a pixel.
# The smallest real change tried, one letter of a title, measures 2.0; a line's colour 4.9, an
# axis label 5.4, a colour map 16.9. 1.5 sits above all the noise and below every real change.
TOLERANCE_RMS = 1.5


def rms_difference(stored_png: str | bytes, fresh_png: str | bytes) -> float:
    """The RMS difference of two PNG images (base64 text as notebooks store them, or bytes).

    Raises matplotlib's ImageComparisonFailure if their sizes differ: a figure of
    another size is another figure.
    """
    from matplotlib.testing.compare import compare_images

    with tempfile.TemporaryDirectory(prefix="figure-") as folder:
        stored, fresh = Path(folder) / "stored.png", Path(folder) / "fresh.png"
        stored.write_bytes(as_bytes(stored_png))
        fresh.write_bytes(as_bytes(fresh_png))
        # tol=0: matplotlib returns None for identical pixels, else the measured RMS.
        result = compare_images(str(stored), str(fresh), tol=0, in_decorator=True)
    return 0.0 if result is None else float(result["rms"])


def as_bytes(png: str | bytes) -> bytes:
    return png if isinstance(png, bytes) else base64.b64decode("".join(png.split()))


def same_figure(stored_png: str | bytes, fresh_png: str | bytes) -> bool:
    try:
        return rms_difference(stored_png, fresh_png) <= TOLERANCE_RMS
    except Exception:  # different sizes, or not a PNG: not the same figure
        return False


def pngs(outputs) -> list[str]:
    """The PNG images among a cell's outputs, in order (base64 text)."""
    return [output["data"]["image/png"] for output in outputs if "image/png" in output.get("data", {})]
