"""What chapter 3's prose says about its results matches its real outputs.

nbval proves that the outputs are what the code produces; this file proves that
every number the prose quotes from an output (and every claim the prose makes
about an output, such as "the final 20% holds only sevens, eights and nines")
was updated with it, in both editions. Cells are found by their id, which the
two editions share. A missing edition or cell is a failure, never a skip.
"""

from __future__ import annotations

import re

from tests.chapter_claims import Chapter, assert_quoted, claims_tests, search
from tests.chapter_claims import chapter as claims_chapter

DATA_SPLITTING = "03_data_splitting.ipynb"


def chapter(language: str) -> Chapter:
    return claims_chapter(language, DATA_SPLITTING)


def floats(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+\.\d+", text)]


# --- the claims, one function each ------------------------------------------------------------


def claim_shapes_and_split(ch: Chapter) -> None:
    out = ch.output("bc51c25c")
    assert "(60000, 28, 28)" in out and "(10000, 28, 28)" in out and "max=255" in out.replace("máx", "max")
    assert_quoted(
        ch, "1e49ce2e", {"es": "Hay 60 000 imágenes de entrenamiento y 10 000 de prueba", "en": "There are 60,000"}
    )
    train_pct, test_pct = re.findall(r"\((\d+\.\d)%\)", ch.output("c20f8d8b"))
    assert (round(float(train_pct)), round(float(test_pct))) == (86, 14)
    assert_quoted(ch, "fc0867a9", {"es": "aproximadamente un 86 % y un 14 %", "en": "roughly 86% and 14%"})
    assert search(r"\((50000), 28, 28\)", ch.output("29665613"), "training shape").group(1) == "50000"
    assert_quoted(ch, "067a625a", {"es": "guardan las 50 000 imágenes", "en": "hold the 50,000 images"})


def claim_class_balance(ch: Chapter) -> None:
    rows = [tuple(int(v) for v in row) for row in re.findall(r"^ +(\d) +(\d+) +(\d+)$", ch.output("9bb0f888"), re.M)]
    assert len(rows) == 10
    train = [r[1] for r in rows]
    test = [r[2] for r in rows]
    for counts in (train, test):
        assert counts.index(max(counts)) == 1 and counts.index(min(counts)) == 5, "most frequent 1, least 5"
    assert_quoted(
        ch,
        "92cd710a",
        {"es": "el 1 es el dígito más frecuente y el 5 el menos frecuente", "en": "1 is the most frequent digit and 5"},
    )
    alt = ch.alt("1f2baec4")
    assert 5300 < min(train) < 5500 and 6600 < max(train) < 6800 and 850 < min(test) < 950 and 1050 < max(test) < 1150
    phrase = {"es": "de unas 5400 a unas 6700", "en": "from about 5,400 to about 6,700"}[ch.language]
    assert phrase in alt, f"{ch.language}: the alt text should say {phrase!r}"


def claim_sorted_validation_split(ch: Chapter) -> None:
    first, last = re.findall(r"\[([\d ]+)\]", ch.output("0f5f2a89"))
    assert first.split() == [str(d) for d in range(8)] and last.split() == ["7", "8", "9"]
    assert_quoted(
        ch,
        "82f6be0d",
        {
            "es": "El 20 % final solo contiene sietes, ochos y nueves, y el 80 % inicial no tiene ni un ocho ni "
            "un nueve",
            "en": "The final 20% contains only sevens, eights and nines, and the first 80% does not have a single "
            "eight",
        },
    )
    train_acc, val_acc = floats(ch.output("1e3db742"))
    assert val_acc < 0.2 < train_acc, "the prose says: the validation accuracy is disastrous"
    train_acc, val_acc = floats(ch.output("691b2ec2"))
    assert abs(train_acc - val_acc) < 0.05, "the prose says: now the two figures are similar"


def claim_stratification(ch: Chapter) -> None:
    n_random, n_stratified = re.findall(r"(\d+) \D+", ch.output("f80c6d55"))[:2]
    assert (n_random, n_stratified) == ("60", "61")
    assert_quoted(ch, "834a21b5", {"es": "tiene 61 imágenes en lugar de 60", "en": "has 61 images instead of 60"})
    random_gap, stratified_gap = floats(
        search(r"\n\D+(\d+\.\d)\D+\n\D+(\d+\.\d)\D+\n$", ch.output("3d5bf564"), "gaps").group(0)
    )
    assert random_gap == 7.0 and stratified_gap < 1
    assert_quoted(
        ch, "7c8772ae", {"es": "se alejó hasta 7 puntos porcentuales", "en": "strayed up to 7 percentage points"}
    )


def claim_group_split(ch: Chapter) -> None:
    random_line, group_line = ch.output("d3a10002").splitlines()
    random_shared = search(r"(\d+) \D+ 60", random_line, "random split").group(1)
    group_shared, pct = search(r"(\d+) \D+ 60 .*?(\d+) ?%", group_line, "group split").groups()
    assert random_shared == "60", "the prose says: every person is in both sets"
    assert group_shared == "0", "the prose says: by group, no one is shared"
    assert pct != "20" and 15 <= int(pct) <= 25, "the prose says: not exactly 20% of the images"
    assert_quoted(ch, "d3a10003", {"es": "todas las personas tienen imágenes", "en": "every person has images"})
    assert_quoted(ch, "d3a10003", {"es": "ya no tiene exactamente el 20 %", "en": "no longer holds exactly 20%"})


def claim_peeking(ch: Chapter) -> None:
    peek, fresh, best_fresh = floats(ch.output("0bef4658"))
    assert peek - fresh > 0.02, "the prose says: clearly lower on new data"
    assert best_fresh > fresh, "the prose says: not even the best candidate on new data"


def claim_protocol(ch: Chapter) -> None:
    epochs = re.findall(r"val_accuracy: (\d\.\d{4})", ch.output("d3a10005"))
    assert len(epochs) == 3
    test_accuracy = search(r"accuracy: (\d\.\d{4})", ch.output("d3a10007"), "evaluate").group(1)
    assert abs(float(test_accuracy) - float(epochs[-1])) < 0.02, "the prose says: close to the validation accuracy"
    assert_quoted(
        ch,
        "d3a10008",
        {
            "es": f"La exactitud de prueba, {ch.number(test_accuracy)}, queda cerca de la de validación de la última "
            f"época, {ch.number(epochs[-1])}",
            "en": f"The test accuracy, {test_accuracy}, is close to the validation accuracy of the last epoch, "
            f"{epochs[-1]}",
        },
    )


def claim_exercise_1(ch: Chapter) -> None:
    small_random, small_low, small_high, large_random, large_low, large_high = re.findall(
        r"(\d+\.\d\d)", ch.output("c5437006")
    )
    assert small_low == small_high and large_low == large_high, "the prose says: the same with every seed"
    assert 8 < float(small_random) / float(large_random) < 12, "the prose says: shrinks to a tenth"
    per_image = 100 / 60
    assert round(float(small_random) / per_image) == 4, "the prose says: about four images"
    n = ch.number
    assert_quoted(
        ch,
        "a3e1c9d1",
        {
            "es": f"es de {n(small_random)} puntos. Con solo 60 imágenes de validación, cada imagen vale "
            f"{n(f'{per_image:.1f}')} puntos porcentuales, así que {n(small_random)} puntos son unas cuatro",
            "en": f"is {small_random} points. With only 60 validation images, each image is worth {per_image:.1f} "
            f"percentage points, so {small_random} points are about four",
        },
    )
    assert_quoted(
        ch,
        "a3e1c9d1",
        {
            "es": f"de {n(small_random)} a {n(large_random)} puntos",
            "en": f"from {small_random} to {large_random} points",
        },
    )
    assert_quoted(
        ch,
        "a3e1c9d1",
        {
            "es": f"({n(small_low)} puntos con 300 imágenes y {n(large_low)} con 30 000)",
            "en": f"({small_low} points with 300 images and {large_low} with 30,000)",
        },
    )
    assert_quoted(ch, "78ef0d50", {"es": f"unos {n(large_random)} puntos", "en": f"about {large_random} points"})


def claim_exercise_2(ch: Chapter) -> None:
    stratified = search(r"(\d\.\d{3})", ch.output("9cff6ce0"), "stratified gap").group(1)
    random_gap = search(r"(\d\.\d\d)", ch.output("d3a1000e"), "random gap").group(1)
    passes = search(r"(True|False)", ch.output("d3a1000e"), "check").group(1)
    assert float(stratified) < 0.05 < float(random_gap) and passes == "False", "the prose says: it would not pass"
    assert float(random_gap) > 2 * 0.05, "the prose says: several times the limit"
    n = ch.number
    assert_quoted(ch, "d3a1000f", {"es": f"se queda en {n(stratified)} puntos", "en": f"stays at {stratified} points"})
    assert_quoted(ch, "d3a1000f", {"es": f"se aleja {n(random_gap)}", "en": f"strays by {random_gap}"})


def claim_exercise_3(ch: Chapter) -> None:
    clean, leaky, copies = re.findall(r"(\d\.\d{3})", ch.output("7206fd07"))
    assert copies == "1.000" and float(leaky) > float(clean)
    clean_pct, leaky_pct = (f"{100 * float(v):.1f}%" for v in (clean, leaky))
    n = ch.number
    assert_quoted(
        ch,
        "b7d24f6e",
        {"es": f"sube del {n(clean_pct)} al {n(leaky_pct)}", "en": f"rises from {clean_pct} to {leaky_pct}"},
    )


def claim_exercise_4(ch: Chapter) -> None:
    small, large = re.findall(r"(\d+\.\d) ", ch.output("21dfc064"))
    assert 0 < float(large) < float(small)
    n = ch.number
    assert_quoted(ch, "c9f05a2b", {"es": f"de {n(small)} puntos a {n(large)}", "en": f"from {small} points to {large}"})


def claim_exercise_5(ch: Chapter) -> None:
    scaled, raw = ch.output("d3a1000b").splitlines()
    scaled_0, scaled_pct = (re.findall(r"\d+(?:\.\d+)?", scaled)[i] for i in (0, -1))
    raw_0, raw_pct = (re.findall(r"\d+(?:\.\d+)?", raw)[i] for i in (0, -1))
    assert abs(float(scaled_0) - 2.3) < 0.2, "the prose says: close to ln 10"
    assert int(raw_0) > 10 * float(scaled_0) and int(raw_pct) > 50 > int(scaled_pct)
    n = ch.number
    assert_quoted(
        ch,
        "d3a1000c",
        {
            "es": f"tiene una pérdida de {n(scaled_0)}, cerca de $\\ln 10$: reparte la probabilidad casi por igual. "
            f"Con los originales, {raw_0}.",
            "en": f"has a loss of {scaled_0}, close to $\\ln 10$: it spreads the probability almost evenly. With the "
            f"original ones, {raw_0}.",
        },
    )
    assert_quoted(
        ch,
        "d3a1000c",
        {
            "es": f"más de 0,99 en el {n(raw_pct + '%')} de las imágenes, frente al {n(scaled_pct + '%')} con",
            "en": f"more than 0.99 on {raw_pct}% of the images, against {scaled_pct}% with",
        },
    )


CLAIMS = [
    claim_shapes_and_split,
    claim_class_balance,
    claim_sorted_validation_split,
    claim_stratification,
    claim_group_split,
    claim_peeking,
    claim_protocol,
    claim_exercise_1,
    claim_exercise_2,
    claim_exercise_3,
    claim_exercise_4,
    claim_exercise_5,
]


test_both_editions_exist, test_prose_quotes_the_outputs = claims_tests(DATA_SPLITTING, CLAIMS)
