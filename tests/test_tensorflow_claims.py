"""What chapter 1's prose says about its results matches its real outputs.

nbval proves that the outputs are what the code produces; this file proves that
every number the prose (and the alt text of its figures) quotes from an output
was updated with it, in both editions. Cells are found by their id, which the
two editions share. A missing edition or cell is a failure, never a skip.
"""

from __future__ import annotations

import re

from tests.chapter_claims import Chapter, assert_quoted, claims_tests, search
from tests.chapter_claims import chapter as claims_chapter

TENSORFLOW = "01_tensorflow.ipynb"


def chapter(language: str) -> Chapter:
    return claims_chapter(language, TENSORFLOW)


# --- the claims, one function each ------------------------------------------------------------


def claim_gradient_by_hand(ch: Chapter) -> None:
    out = ch.output("ff69dc6d")
    grad_w, grad_b = search(r"dL/dw: (-?\d+\.\d+) +dL/db: (-?\d+\.\d+)", out, "gradients").groups()
    assert (float(grad_w), float(grad_b)) == (-42.0, -14.0)
    prose = ch.prose("70a9f0b9")
    assert "= -42$" in prose and "= -14$" in prose, f"{ch.language}: the worked gradients are -42 and -14"


def claim_non_scalar_and_frozen(ch: Chapter) -> None:
    assert ch.output("c1a0f002").rstrip().endswith("True"), "the gradient of ys equals the gradient of its sum"
    assert ch.output("c1a0f004").rstrip().endswith("None"), "a non-trainable variable gets a None gradient"
    assert_quoted(ch, "c1a0f003", {"es": "`tape.gradient` devuelve `None`", "en": "`tape.gradient` returns `None`"})


def claim_training_loop(ch: Chapter) -> None:
    out = ch.output("5a1c0e07")
    losses = {int(s): float(v) for s, v in re.findall(r"(\d+): \D+ (\d+(?:\.\d+)?)\n", out)}
    w, b = search(r"w = (\d\.\d\d), b = (\d\.\d\d)", out, "learned w and b").groups()
    n = ch.number
    first, plateau = round(losses[1]), f"{losses[40]:.2f}"
    assert all(abs(losses[s] - losses[40]) < 0.005 for s in (60, 80, 100)), "the prose says: it stays there"
    assert_quoted(
        ch,
        "5a1c0e08",
        {
            "es": f"cae de {first} a {n(plateau)} en unos 40 pasos",
            "en": f"falls from {first} to {plateau} in about 40 steps",
        },
    )
    assert_quoted(ch, "5a1c0e08", {"es": f"$w \\approx {n(w).replace(',', '{,}')}$", "en": f"$w \\approx {w}$"})
    assert_quoted(ch, "5a1c0e08", {"es": f"$b \\approx {n(b).replace(',', '{,}')}$", "en": f"$b \\approx {b}$"})
    alt = ch.alt("5a1c0e0a")
    for quoted in (f"{n(w)}x + {n(b)}", f"{first} ", n(plateau)):
        assert quoted in alt, f"{ch.language}: the alt text should quote {quoted!r}: {alt}"
    polyfit = ch.output("5a1c0e09")
    assert f"w = {w}, b = {b}" in polyfit and polyfit.rstrip().endswith("True"), "np.polyfit gives the same line"


def claim_graph_loop(ch: Chapter) -> None:
    out = ch.output("c1a0f006")
    tracings = search(r": (\d+)\n", out, "tracing count").group(1)
    assert tracings == "1", "the prose says: one tracing"
    assert out.rstrip().endswith("True"), "the prose says: the same w and b"
    assert (
        search(r"w = (\d\.\d\d), b = (\d\.\d\d)", out, "w and b").groups()
        == search(r"w = (\d\.\d\d), b = (\d\.\d\d)", ch.output("5a1c0e07"), "w and b").groups()
    )
    assert_quoted(
        ch, "c1a0f007", {"es": "Un solo trazado para las 100 llamadas", "en": "One tracing for the 100 calls"}
    )


def claim_exercise_2(ch: Chapter) -> None:
    out = ch.output("63472ef3")
    tape, hand = search(r": (\d+) +\D+: (\d+)\n", out, "derivatives").groups()
    assert tape == hand == "24"
    assert_quoted(ch, "5a1c0e0c", {"es": "= 24$", "en": "= 24$"})


def claim_exercise_4(ch: Chapter) -> None:
    counts = search(r"\[([\d, ]+)\]", ch.output("018223f0"), "tracing counts").group(1)
    assert counts.split(", ")[-1] == "4"
    assert_quoted(ch, "5a1c0e0d", {"es": "Cuatro trazados", "en": "Four traces"})


def claim_exercise_5(ch: Chapter) -> None:
    out = ch.output("c1a0f009")
    lam, critical = search(r"λmax = (\d+\.\d\d) .*= (\d+\.\d\d)\n", out, "λmax and the critical rate").groups()
    runs = re.findall(r" (\d\.\d): \w+ (\d\.\d\d); .*? (True|False); .*? (True|False)\n", ch.output("c1a0f00a"))
    assert [(r[0], r[2], r[3]) for r in runs] == [("0.5", "False", "True"), ("1.0", "True", "True")], (
        "the prose says: the loss grows with 1.0 only, and stays finite"
    )
    shrink, grow = runs[0][1], runs[1][1]
    assert float(shrink) < 1 < float(grow), "below the limit the factor is under 1, above it over 1"
    assert float(critical) > 0.5 and float(critical) < 1.0, "0.5 below the limit, 1.0 above it"
    for value in (lam, critical, shrink, grow):
        assert_quoted(ch, "c1a0f00b", {"es": f"{ch.number(value).replace(',', '{,}')}$", "en": f"{value}$"})


def claim_exercise_6(ch: Chapter) -> None:
    out = ch.output("c1a0f00d")
    broken = search(r"\[None, (-\d+\.\d\d)\]", out, "broken gradients").group(1)
    grad_w, grad_b = search(r"\[(-\d+\.\d\d), (-\d+\.\d\d)\]\n$", out, "fixed gradients").groups()
    assert broken == grad_b, "the gradient of b is the same with and without the bug"
    n = ch.number
    assert_quoted(ch, "c1a0f00f", {"es": f"`[None, {broken}]`", "en": f"`[None, {broken}]`"})
    for value in (grad_w, grad_b):
        assert_quoted(ch, "c1a0f00f", {"es": f"\\approx {n(value).replace(',', '{,}')}$", "en": f"\\approx {value}$"})
    assert ch.output("c1a0f00e").rstrip().endswith("TypeError")


CLAIMS = [
    claim_gradient_by_hand,
    claim_non_scalar_and_frozen,
    claim_training_loop,
    claim_graph_loop,
    claim_exercise_2,
    claim_exercise_4,
    claim_exercise_5,
    claim_exercise_6,
]


test_both_editions_exist, test_prose_quotes_the_outputs = claims_tests(TENSORFLOW, CLAIMS)
