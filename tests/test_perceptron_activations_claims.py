"""What chapter 4's prose says about its results matches its real outputs.

nbval proves that the outputs are what the code produces; this file proves that
every number the prose quotes from an output (and every claim the prose makes
about an output, such as "each layer toward the input divides the gradient by
about 4") was updated with it, in both editions. Cells are found by their id,
which the two editions share. A missing edition or cell is a failure, never a
skip.
"""

from __future__ import annotations

import math
import re

from tests.chapter_claims import Chapter, assert_quoted, claims_tests, search
from tests.chapter_claims import chapter as claims_chapter

PERCEPTRON = "04_perceptron_activations.ipynb"


def chapter(language: str) -> Chapter:
    return claims_chapter(language, PERCEPTRON)


def percent(ch: Chapter, value: str) -> str:
    return ch.number(f"{value}%")


# --- the claims, one function each ------------------------------------------------------------


def claim_hand_neuron(ch: Chapter) -> None:
    outputs = re.findall(r"(\d)\n", ch.output("ea275c8e"))
    assert outputs == ["0", "0", "0", "1"], "the prose says: the neuron computes AND"


def claim_perceptron_gates(ch: Chapter) -> None:
    rows = dict(
        (gate, (final, best))
        for gate, final, best in re.findall(r"(\w+): \D+(\d+) ?%\D+(\d+) ?%", ch.output("27961115"))
    )
    assert rows["AND"] == rows["OR"] == ("100", "100") and rows["XOR"] == ("25", "50")
    assert_quoted(
        ch,
        "68b9f11c",
        {
            "es": "no pasa del 50 % en ninguna época y termina en el 25 %",
            "en": "does not go above 50% in any epoch and ends at 25%",
        },
    )


def claim_parameter_count(ch: Chapter) -> None:
    out = ch.output("11374b1f")
    assert re.findall(r"\((\d), (\d)\)", out) == [("2", "3"), ("3", "1")] and out.rstrip().endswith("13")
    assert_quoted(ch, "3d0ff133", {"es": "2 × 3 pesos y 3 sesgos", "en": "2 × 3 weights and 3 biases"})


def claim_linear_layers_collapse(ch: Chapter) -> None:
    assert re.findall(r"(True|False)", ch.output("2120856c")) == ["True", "True"]
    assert_quoted(ch, "fa63a820", {"es": "muy por debajo de $10^{-12}$", "en": "far below $10^{-12}$"})


def claim_tape_checks_the_table(ch: Chapter) -> None:
    assert re.findall(r"(True|False)", ch.output("d4a20002")) == ["True"] * 3, "the tape gives the table's derivatives"


def claim_gradient_arithmetic(ch: Chapter) -> None:
    out = ch.output("428b9c95")
    assert re.findall(r": \D+(\d\.\d\d)\n", out) == ["1.00", "0.25", "1.00"]
    ten = search(r"\n +10 +(\S+) +(\S+)\n?$", out, "ten layers")
    assert float(ten.group(1)) < 1e-6 and float(ten.group(2)) > 50
    assert_quoted(
        ch,
        "d4a20003",
        {
            "es": "diez capas dejan el gradiente en menos de una millonésima; con factores de 1,5, lo multiplican "
            "por más de 50",
            "en": "ten layers leave the gradient at less than a millionth; with factors of 1.5, they multiply it "
            "by more than 50",
        },
    )


def claim_measured_gradients(ch: Chapter) -> None:
    rows = re.findall(r"(\d\.\de-\d\d) .+? (\d\.\de-\d\d) .+? (\de-\d\d)\n", ch.output("d4a20005"))
    assert len(rows) == 2, "one row for the sigmoid, one for ReLU"
    (sig_first, _sig_last, sig_ratio), (_relu_first, _relu_last, relu_ratio) = rows
    assert 1.5e-6 <= float(sig_ratio) < 2.5e-6, "the prose says: about two millionths"
    assert 3.5 < (1 / float(sig_ratio)) ** (1 / 9) < 5, "the prose says: each layer divides it by about 4"
    assert 0.3 < float(relu_ratio) < 3, "the prose says: gradients of the same order with ReLU"
    assert float(sig_first) < 1e-6, "the alt text says: less than a millionth at layer 1"
    assert_quoted(
        ch,
        "d1e6871b",
        {
            "es": "es unas dos millonésimas del de la última: cada capa hacia la entrada lo divide por unas 4",
            "en": "is about two millionths of that of the last one: each layer toward the input divides it by about 4",
        },
    )
    assert_quoted(ch, "0c9f10a9", {"es": "unas dos millonésimas", "en": "about two millionths"})
    phrase = {"es": "divide el gradiente por unas 4", "en": "divides the gradient by about 4"}[ch.language]
    assert phrase in ch.alt("d4a20006"), f"{ch.language}: the alt text should say {phrase!r}"


def claim_cross_entropy(ch: Chapter) -> None:
    cat, fish = re.findall(r"(\d\.\d{3}) \D+ (\d\.\d{3})\n", ch.output("ce01a002"))
    assert cat == ("0.638", "0.449") and fish == ("0.032", "3.449")
    n = ch.number
    assert_quoted(
        ch,
        "d4a2000c",
        {
            "es": f"({n(cat[1])} para «gato» y {n(fish[1])} para «pez»)",
            "en": f'({cat[1]} for "cat" and {fish[1]} for "fish")',
        },
    )
    uniform, ln10 = re.findall(r"(\d\.\d{4})", ch.output("ce01a005"))
    assert uniform == ln10 == f"{math.log(10):.4f}"


def claim_logits_clipping(ch: Chapter) -> None:
    exact, clipped = re.findall(r"(\d+\.\d{4})", ch.output("ce01a010"))
    assert exact == "120.0000" and clipped == f"{-math.log(1e-7):.4f}"
    assert_quoted(ch, "ce01a011", {"es": r"\approx 16{,}1$ en lugar de 120", "en": r"\approx 16.1$ instead of 120"})


def claim_softmax_gradient(ch: Chapter) -> None:
    tape, formula = re.findall(r"\[([-\d. ]+)\]", ch.output("d4a20009"))
    assert tape.split() == formula.split() and "True" in ch.output("d4a20009")


def claim_exercise_1(ch: Chapter) -> None:
    rows = dict(
        (gate, (final, best))
        for gate, final, best in re.findall(r"(\w+): \D+(\d+) ?%\D+(\d+) ?%", ch.output("3a142f01"))
    )
    assert rows == {"NAND": ("100", "100"), "XNOR": ("50", "75")}
    assert_quoted(
        ch,
        "a1e0d001",
        {
            "es": "no pasa del 75 % en ninguna época y termina en el 50 %",
            "en": "does not go above 75% in any epoch and ends at 50%",
        },
    )


def claim_exercise_3(ch: Chapter) -> None:
    out = ch.output("f9ed7d03")
    distance = float(search(r": (\d\.\d{3})\n", out, "distance").group(1))
    accuracy = search(r"(\d+) ?%", out, "accuracy").group(1)
    final_loss, ln2 = re.findall(r"(\d\.\d{3})", out.splitlines()[-1])
    assert distance < 0.01 and ln2 == "0.693" and abs(float(final_loss) - math.log(2)) < 0.01
    n = ch.number
    assert_quoted(
        ch,
        "a1e0d003",
        {
            "es": f"quedan a menos de 0,01 de 0,5, y la pérdida final, {n(final_loss)}, está pegada a $\\ln 2$",
            "en": f"stay within 0.01 of 0.5, and the final loss, {final_loss}, is right next to",
        },
    )
    assert_quoted(ch, "a1e0d003", {"es": f"el {percent(ch, accuracy)} de exactitud", "en": f"the {accuracy}% accuracy"})


def claim_exercise_4(ch: Chapter) -> None:
    assert search(r"\[([\d. ]+)\]", ch.output("b596bce6"), "hand").group(1).split() == ["0.", "1.", "1.", "0."]
    assert search(r"\[([\d. ]+)\]", ch.output("a1e0d075"), "broken").group(1).split() == ["2.", "1.", "1.", "0."]
    assert_quoted(ch, "a1e0d004", {"es": "que da 2, 1, 1 y 0", "en": "which gives 2, 1, 1 and 0"})


def claim_exercise_5(ch: Chapter) -> None:
    out = ch.output("d4a2000d")
    rows = re.findall(r"(\d\.\d{3})\D+(\d\.\d{3})\n", out)[:4]
    correct = [float(r[0]) for r in rows]
    double = [r[1] for r in rows]
    ln4, floor = re.findall(r"(\d\.\d{3})", out.splitlines()[-1])
    assert (
        ln4 == "1.386"
        and float(floor) <= min(map(float, double))
        and max(correct) - min(correct) > 2 * (float(max(double)) - float(min(double)))
    ), "the prose says: squeezed together"
    n = ch.number
    low, high = min(double, key=float), max(double, key=float)
    assert (low, high) == (double[0], double[3]), "the prose says: cat gets the lowest, fish the highest"
    assert_quoted(
        ch, "d4a2000e", {"es": f"de {n(low)} a {n(high)}, en lugar de", "en": f"from\n{low} to {high}".split("\n")[-1]}
    )
    assert_quoted(
        ch, "d4a2000e", {"es": f"({n(double[0])} en lugar de 0,449)", "en": f"({double[0]} instead of 0.449)"}
    )
    assert_quoted(
        ch, "d4a2000e", {"es": f"({n(double[3])} en lugar de 3,449)", "en": f"({double[3]} instead of 3.449)"}
    )
    assert_quoted(ch, "d4a2000e", {"es": f"nunca baja de {n(floor)}", "en": f"never drops below {floor}"})


CLAIMS = [
    claim_hand_neuron,
    claim_perceptron_gates,
    claim_parameter_count,
    claim_linear_layers_collapse,
    claim_tape_checks_the_table,
    claim_gradient_arithmetic,
    claim_measured_gradients,
    claim_cross_entropy,
    claim_logits_clipping,
    claim_softmax_gradient,
    claim_exercise_1,
    claim_exercise_3,
    claim_exercise_4,
    claim_exercise_5,
]


test_both_editions_exist, test_prose_quotes_the_outputs = claims_tests(PERCEPTRON, CLAIMS)
