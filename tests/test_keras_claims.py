"""What chapter 2's prose says about its results matches its real outputs.

nbval proves that the outputs are what the code produces; this file proves that
every number the prose (and the alt text of its figures) quotes from an output
was updated with it, in both editions. Cells are found by their id, which the
two editions share. A missing edition or cell is a failure, never a skip.
"""

from __future__ import annotations

import math
import re

from tests.chapter_claims import Chapter, assert_quoted, claims_tests, search
from tests.chapter_claims import chapter as claims_chapter

KERAS = "02_keras.ipynb"


def chapter(language: str) -> Chapter:
    return claims_chapter(language, KERAS)


def in_formula(ch: Chapter, value: str) -> str:
    """A number inside $...$: the Spanish decimal comma is written {,} there."""
    return ch.number(value).replace(",", "{,}")


def references(ch: Chapter) -> tuple[str, str, str]:
    """The two reference losses and the class rate, as printed (three decimals)."""
    out = ch.output("c2a0f002")
    half = search(r"1/2: (\d\.\d{3})\n", out, "always 1/2").group(1)
    rate, class_rate, keras_loss = search(
        r" (\d\.\d{3}): (\d\.\d{3}) \(Keras: (\d\.\d{3})\)", out, "class rate"
    ).groups()
    assert half == f"{math.log(2):.3f}"
    assert class_rate == keras_loss, "the formula and Keras agree"
    q = float(rate)
    assert abs(float(class_rate) - (-q * math.log(q) - (1 - q) * math.log(1 - q))) < 0.002
    return half, class_rate, rate


# --- the claims, one function each ------------------------------------------------------------


def claim_glorot(ch: Chapter) -> None:
    out = ch.output("f6895cec")
    limit = search(r"±(\d\.\d\d); .*? (True|False)\n", out, "Glorot limit")
    assert limit.group(1) == f"{math.sqrt(6 / 5):.2f}" and limit.group(2) == "True"
    one_decimal = f"{float(limit.group(1)):.1f}"
    assert_quoted(
        ch, "a8397c63", {"es": f"\\approx \\pm {in_formula(ch, one_decimal)}$", "en": f"\\approx \\pm {one_decimal}$"}
    )


def claim_parameters(ch: Chapter) -> None:
    hidden, output, total = search(r"(\d+) \+ (\d+) = (\d+)", ch.output("17235129"), "parameters").groups()
    assert_quoted(ch, "9522874f", {"es": f"${hidden} + {output} = {total}$", "en": f"${hidden} + {output} = {total}$"})


def claim_references(ch: Chapter) -> None:
    half, class_rate, rate = references(ch)
    assert rate == search(r": (\d\.\d{3})\n", ch.output("4babb925"), "fraction inside").group(1)
    n = ch.number
    assert_quoted(
        ch, "22471158", {"es": f"$\\ln 2 \\approx {in_formula(ch, half)}$", "en": f"$\\ln 2 \\approx {half}$"}
    )
    assert_quoted(ch, "22471158", {"es": f"({n(class_rate)} aquí)", "en": f"({class_rate} here)"})
    alt = ch.alt("bcb85487")
    assert f"ln 2 ≈ {n(half)}" in alt and f"{n(class_rate)} (" in alt, f"{ch.language}: alt text: {alt}"
    assert f"en {n(class_rate)}," in ch.alt("6b2d0f07") or f"at {class_rate}," in ch.alt("6b2d0f07")


def claim_learning_curve(ch: Chapter) -> None:
    out = ch.output("ac278a23")
    first, last = re.findall(r": +(\d\.\d{4})\n", out)[:2]
    _, class_rate, _ = references(ch)
    assert float(class_rate) - 0.05 < float(first) < float(class_rate), "the prose says: just below both references"
    first2, last2 = f"{float(first):.2f}", f"{float(last):.2f}"
    n = ch.number
    assert_quoted(ch, "b7818f5f", {"es": f"pérdida media de {n(first2)}", "en": f"mean loss of {first2}"})
    assert_quoted(ch, "b7818f5f", {"es": f"hasta {n(last2)}", "en": f"to {last2}"})
    for cell_id in ("bcb85487", "6b2d0f07"):
        alt = ch.alt(cell_id)
        assert n(first2) in alt and n(last2) in alt, f"{ch.language}: alt text of {cell_id} should quote both: {alt}"


def claim_exercise_1(ch: Chapter) -> None:
    counts = re.findall(r": *(\d+) \w+\n", ch.output("db0b602a"))
    assert counts == ["49", "67"]


def claim_exercise_2(ch: Chapter) -> None:
    out = ch.output("ad8cd48d")
    chapter_run, big_run = re.split(r"\n(?=\S)", out.strip())
    answers = [re.findall(r"\? (True|False)", run) for run in (chapter_run, big_run)]
    assert answers[0] == ["True", "False", "True", "False"], "the chapter's rate learns"
    assert answers[1] == ["False", "False", "False", "True"], "rate 10: no NaN, stuck at the reference, no better"
    half, class_rate, _ = references(ch)
    n = ch.number
    assert_quoted(ch, "8f0d1aa2", {"es": f"({n(class_rate)})", "en": f"({class_rate})"})
    assert_quoted(ch, "8f0d1aa2", {"es": f"\\approx {in_formula(ch, half)}$", "en": f"\\approx {half}$"})


def claim_exercise_4(ch: Chapter) -> None:
    assert ch.output("c2a0f005").rstrip().endswith("ValueError")
    out = ch.output("c2a0f006")
    assert "[1. 1. 1.]" in out and out.rstrip().endswith("True"), "softmax over one unit: always 1, and Keras warns"
    version = search(r"Keras (\d+\.\d+)", ch.output("5d0322f3"), "Keras version").group(1)
    assert_quoted(ch, "c2a0f007", {"es": "con un `ValueError`", "en": "with a `ValueError`"})
    assert_quoted(ch, "c2a0f007", {"es": f"Keras {version} avisa", "en": f"Keras {version} warns"})


CLAIMS = [
    claim_glorot,
    claim_parameters,
    claim_references,
    claim_learning_curve,
    claim_exercise_1,
    claim_exercise_2,
    claim_exercise_4,
]


test_both_editions_exist, test_prose_quotes_the_outputs = claims_tests(KERAS, CLAIMS)
