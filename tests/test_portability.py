"""A portability variant that does not change how this machine computes must not pass as proof."""

import pytest

from tools.measure import portability


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"OPENBLAS_CORETYPE": "Bogus"}, "OpenBLAS runs the"),  # unknown core: OpenBLAS falls back silently
        ({"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}, "as many as with the harness"),
    ],
)
def test_a_variant_that_changes_nothing_is_reported(monkeypatch, settings, reason):
    monkeypatch.setitem(portability.VARIANTS, "no-op", settings)
    problem = portability.check_took_effect("no-op")
    assert problem is not None and reason in problem
