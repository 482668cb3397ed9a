"""What chapter 5's prose says about its results matches its real outputs.

nbval proves that the outputs are what the code produces; this file proves that
every number the prose quotes from an output (and every claim the prose makes
about an output, such as "the validation loss goes down in every epoch") was
updated with it, in both editions. Cells are found by their id, which the two
editions share. A missing edition or cell is a failure, never a skip.
"""

from __future__ import annotations

import math
import re

from tests.chapter_claims import Chapter, assert_quoted, claims_tests, search
from tests.chapter_claims import chapter as claims_chapter

QUICKSTART = "05_quickstart.ipynb"


def chapter(language: str) -> Chapter:
    return claims_chapter(language, QUICKSTART)


EPOCH_LINE = (
    r"(\d+)/\1 - .*? - accuracy: (\d\.\d{4}) - loss: (\d\.\d{4}) - "
    r"val_accuracy: (\d\.\d{4}) - val_loss: (\d\.\d{4})"
)


def main_training(ch: Chapter) -> list[tuple[str, ...]]:
    epochs = re.findall(EPOCH_LINE, ch.output("55fea854"))
    assert len(epochs) == 5, f"{ch.language}: expected five epoch lines with validation metrics"
    return epochs


# --- the claims, one function each ------------------------------------------------------------


def claim_validation_split(ch: Chapter) -> None:
    out = ch.output("a48c9156")
    n_val = search(r"(\d+)\n", out, "validation images").group(1)
    counts = [int(c) for c in search(r"\[([\d ]+)\]", out, "digit counts").group(1).split()]
    assert n_val == "6000" and sum(counts) == 6000 and len(counts) == 10
    assert min(counts) > 0.8 * 600 and max(counts) < 1.2 * 600, "the prose says: similar proportions"
    assert_quoted(ch, "e6944975", {"es": "(6000 imágenes)", "en": "(6,000 images)"})
    steps = main_training(ch)[0][0]
    assert steps == str(math.ceil(54_000 / 32))
    assert_quoted(ch, "96b64503", {"es": f"{steps} pasos por época", "en": f"{ch.number(steps)} steps per epoch"})


def claim_validation_curve(ch: Chapter) -> None:
    epochs = main_training(ch)
    val_losses = [float(e[4]) for e in epochs]
    assert all(a > b for a, b in zip(val_losses, val_losses[1:])), "the prose says: it goes down in every epoch"
    first, last, val_acc = ch.number(epochs[0][4]), ch.number(epochs[-1][4]), ch.number(epochs[-1][3])
    assert_quoted(
        ch,
        "2522ac5b",
        {
            "es": f"baja en cada época, de {first} en la primera a {last} en la quinta",
            "en": f"goes down in every epoch, from {first} in the first to {last} in the fifth",
        },
    )
    assert_quoted(ch, "2522ac5b", {"es": f"termina en {val_acc}", "en": f"ends at {val_acc}"})
    assert_quoted(ch, "6f4084c4", {"es": f"última época, {val_acc}, se mide", "en": f"last epoch, {val_acc}, is"})


def claim_test_accuracy(ch: Chapter) -> None:
    accuracy = search(r"accuracy: (\d\.\d{4})", ch.output("3014f808"), "evaluate").group(1)
    value = float(accuracy)
    assert value >= 0.975, "the chapter's main line promises about 0.976"
    quoted = re.findall(r"`accuracy: (\d\.\d{4})`", ch.all_prose())
    assert quoted == [accuracy], f"{ch.language}: the text quotes {quoted}, the output says {accuracy}"
    assert_quoted(ch, "6f4084c4", {"es": f"acierta el {ch.number(f'{value:.1%}')}", "en": f"gets {value:.1%}"})
    test_noise = math.sqrt(value * (1 - value) / 10_000)
    val_noise = math.sqrt(value * (1 - value) / 6_000)
    assert_quoted(
        ch,
        "6f4084c4",
        {
            "es": f"es de unos {ch.number(f'{100 * test_noise:.2f}')} puntos, y con 6000, de unos "
            f"{ch.number(f'{100 * val_noise:.1f}')}",
            "en": f"is about {100 * test_noise:.2f} points, and with 6,000, about {100 * val_noise:.1f}",
        },
    )
    percent = ch.number(f"{value:.1%}")
    assert_quoted(ch, "bd954223", {"es": f"acierta el {percent} de las imágenes", "en": f"gets {percent} of the test"})


def claim_initial_loss(ch: Chapter) -> None:
    initial = float(search(r": (\d\.\d\d)\n", ch.output("86dbe1a6"), "initial loss").group(1))
    assert abs(initial - math.log(10)) < 0.1, "the prose says: close to ln 10"
    assert search(r"ln 10 = (\d\.\d{3})", ch.output("86dbe1a6"), "ln 10").group(1) == "2.303"
    assert_quoted(ch, "d88950cd", {"es": r"\ln 10 \approx 2{,}303", "en": r"\ln 10 \approx 2.303"})


def claim_logits(ch: Chapter) -> None:
    from_probs, from_logits = re.findall(r": +(\d+\.\d\d)\n", ch.output("6345c695"))
    assert from_probs == f"{-math.log(1e-7):.2f}" == "16.12" and from_logits == "200.00"
    assert_quoted(ch, "bfef270f", {"es": r"\approx 16{,}12", "en": r"\approx 16.12"})
    assert_quoted(
        ch,
        "c3a95f9f",
        {
            "es": f"La pérdida verdadera es 200, y solo la versión con logits la ve; la otra se queda en "
            f"{ch.number(from_probs)}",
            "en": f"The true loss is 200, and only the version with logits sees it; the other one stops at "
            f"{ch.number(from_probs)}",
        },
    )


def claim_dropout(ch: Chapter) -> None:
    out = ch.output("3c52aaab")
    assert re.search(r"\[0\. +1\.25\]", out), "the prose says: survivors become 1.25, the rest 0"
    assert re.search(r"training=False: .*\[1\.\]", out), "the prose says: unchanged at prediction"
    zeros, mean = re.search(r"(\d\.\d\d), \D+(\d\.\d\d)", out).groups()
    assert zeros == "0.20" and mean == "1.00"
    assert_quoted(ch, "cc6725a0", {"es": r"= 1{,}25", "en": r"= 1.25"})
    assert_quoted(ch, "8835713d", {"es": f"{ch.number(mean)} en el tensor de unos", "en": f"{mean} on the tensor"})
    identical, training = re.findall(r"(True|False)", ch.output("6ebf67c9"))
    assert (identical, training) == ("True", "False"), "the prose says: only training mode changes the output"


def wide_run(ch: Chapter) -> dict[str, str]:
    out = ch.output("39b54b21")
    minimum, best = search(r"(\d\.\d{3}), \D+ (\d+)\n", out, "minimum").groups()
    train_loss, val_loss = re.search(r"20\D+(\d\.\d{3})\D+(\d\.\d{3})\n", out).groups()
    train_acc, val_acc = re.search(r"20\D+(\d+\.\d%)\D+(\d+\.\d%)", out).groups()
    return dict(
        minimum=minimum, best=best, train_loss=train_loss, val_loss=val_loss, train_acc=train_acc, val_acc=val_acc
    )


def claim_overfitting(ch: Chapter) -> None:
    run = wide_run(ch)
    assert float(run["val_loss"]) > float(run["minimum"]), "the prose says: the validation loss goes back up"
    n = ch.number
    assert_quoted(
        ch,
        "bbccaac2",
        {
            "es": f"hasta {n(run['train_loss'])} en la época 20, y la exactitud de entrenamiento llega al "
            f"{n(run['train_acc'])}",
            "en": f"to {run['train_loss']} at epoch 20, and the training accuracy reaches {run['train_acc']}",
        },
    )
    assert_quoted(
        ch,
        "bbccaac2",
        {
            "es": f"baja solo hasta la época {run['best']} ({n(run['minimum'])}) y después sube poco a poco, "
            f"hasta {n(run['val_loss'])}: desde la época {run['best']},",
            "en": f"only until epoch {run['best']} ({run['minimum']}) and then slowly goes up, to "
            f"{run['val_loss']}: from epoch {run['best']} on,",
        },
    )
    acc_epoch, acc_best = search(r"(\d+): (\d+\.\d%)\n$", ch.output("39b54b21"), "accuracy at the best epoch").groups()
    assert acc_epoch == run["best"]
    gap = abs(float(acc_best.rstrip("%")) - float(run["val_acc"].rstrip("%")))
    noise = 100 * math.sqrt(0.924 * 0.076 / 2000)
    assert f"{noise:.1f}" == "0.6" and gap < noise, "the prose says: a difference smaller than its standard error"
    assert_quoted(
        ch,
        "bbccaac2",
        {
            "es": f"pasa del {n(acc_best)} en la época {acc_epoch} al {n(run['val_acc'])} en la época 20, una "
            "diferencia menor que su error estándar, que con 2000 imágenes ronda 0,6 puntos",
            "en": f"goes from {acc_best} at epoch {acc_epoch} to {run['val_acc']} at epoch 20, a difference smaller "
            "than its standard error, which with 2,000 images is about 0.6 points",
        },
    )
    phrase = {"es": f"mínimo en la época {run['best']}", "en": f"minimum at epoch {run['best']}"}[ch.language]
    assert phrase in ch.alt("a0712dae"), f"{ch.language}: the figure's alt text should say {phrase!r}"


def claim_early_stopping(ch: Chapter) -> None:
    run = wide_run(ch)
    out = ch.output("262911c8")
    trained, total = search(r": (\d+) \D+ (\d+)\n", out, "epochs trained").groups()
    best = search(r": (\d+)\n$", out, "best epoch").group(1)
    assert total == "20" and int(trained) < 20 and best == run["best"]
    check = ch.output("2c72ea71")
    same_curve, is_minimum = re.findall(r"(True|False)", check)
    restored = search(r"(\d\.\d{3})", check, "restored loss").group(1)
    assert same_curve == is_minimum == "True" and restored == run["minimum"]
    assert_quoted(
        ch,
        "97bd4bd1",
        {
            "es": f"se detiene tras la época {trained}: la mejor fue la {best} y las tres siguientes",
            "en": f"stops after epoch {trained}: the best one was epoch {best} and the three",
        },
    )
    assert int(trained) == int(best) + 3, "the prose says: the three epochs after the best did not improve"
    assert_quoted(
        ch,
        "97bd4bd1",
        {
            "es": f"época {best}, con la pérdida de validación mínima ({ch.number(restored)}); sin ese argumento",
            "en": f"epoch {best}, with the minimum validation loss ({restored}); without that argument",
        },
    )
    assert_quoted(
        ch,
        "97bd4bd1",
        {
            "es": f"con los pesos de la época {trained}, cuando el sobreajuste ya había empezado",
            "en": f"keep the weights of epoch {trained}, when overfitting had already begun",
        },
    )


def controlled_runs(ch: Chapter) -> list[dict[str, str]]:
    """The two runs of the controlled experiment, without dropout first (digits that hold on any processor)."""
    line = r"(\d\.\d{3}), \D+ 15 (\d\.\d{2})\n\s+\D+ 15 (\d+%), \D+ 15 (\d\.\d{3})"
    runs = re.findall(line, ch.output("5b7e2c95"))
    assert len(runs) == 2, f"{ch.language}: two runs, without and with dropout"
    keys = ("minimum", "val_loss", "val_acc", "train_loss")
    return [dict(zip(keys, run)) for run in runs]


def claim_controlled_dropout(ch: Chapter) -> None:
    without, with_ = controlled_runs(ch)
    n = ch.number
    assert float(with_["minimum"]) < float(without["minimum"]), "the prose says: dropout lowers the minimum"
    lower = search(r"\? (True|False)\n$", ch.output("5b7e2c95"), "lower at epoch 15").group(1)
    assert lower == "True", "the prose says: and the loss at epoch 15 stays lower"
    assert with_["val_loss"] == without["val_loss"], "the prose says: both round to the same loss at epoch 15"
    assert float(with_["train_loss"]) > float(without["train_loss"]), "the prose says: dropout slows memorization"
    for run in (without, with_):
        assert float(run["val_loss"]) > float(run["minimum"]), "the prose says: the validation loss goes up again"
    assert with_["val_acc"] == without["val_acc"], "the prose says: the same validation accuracy in both models"
    assert f"{100 * math.sqrt(0.923 * 0.077 / 2000):.1f}" == "0.6"
    assert_quoted(
        ch,
        "5b7e2c97",
        {
            "es": f"su mínimo baja de {n(without['minimum'])} a {n(with_['minimum'])} y en la época 15 sigue por "
            f"debajo (las dos redondean a {n(with_['val_loss'])})",
            "en": f"its minimum goes down from {without['minimum']} to {with_['minimum']} and it is still lower at "
            f"epoch 15 (both round to {with_['val_loss']})",
        },
    )
    assert_quoted(
        ch,
        "5b7e2c97",
        {
            "es": f"la pérdida de entrenamiento de la época 15 es {n(with_['train_loss'])} con dropout y "
            f"{n(without['train_loss'])} sin él",
            "en": f"the training loss at epoch 15 is {with_['train_loss']} with dropout and {without['train_loss']} "
            "without it",
        },
    )
    assert_quoted(
        ch,
        "5b7e2c97",
        {
            "es": f"{n(with_['val_acc'])} en los dos modelos. Con 2000 imágenes, su error estándar ronda 0,6 puntos",
            "en": f"{with_['val_acc']} in both models. With 2,000 images, its standard error is about 0.6 points",
        },
    )


def claim_exercise_1(ch: Chapter) -> None:
    _, with_ = controlled_runs(ch)
    predicted_epochs, predicted_loss = search(r"(\d+)\D+(\d\.\d{3})\n$", ch.output("65c01a4f"), "prediction").groups()
    out = ch.output("65c4e112")
    trained, best = search(r": (\d+) · \D+: (\d+)\n", out, "epochs").groups()
    returned = search(r": (\d\.\d{3})\n$", out, "returned loss").group(1)
    assert (trained, returned) == (predicted_epochs, predicted_loss), "the prose says: the prediction holds"
    assert returned == with_["minimum"], "the run repeats the experiment's curve"
    assert int(trained) == int(best) + 2 < 15
    n = ch.number
    assert_quoted(
        ch,
        "465c2b18",
        {
            "es": f"baja hasta la época {best} ({n(returned)}); la {int(best) + 1} no la mejora, y la {trained}",
            "en": f"goes down until epoch {best} ({returned}); epoch {int(best) + 1} does not improve on it, and "
            f"epoch {trained}",
        },
    )
    assert_quoted(
        ch,
        "465c2b18",
        {
            "es": f"se detiene tras la época {trained}, $b + 2$ con $b = {best}$, y que el modelo devuelto tiene "
            f"la pérdida mínima, {n(returned)},",
            "en": f"stops after epoch {trained}, $b + 2$ with $b = {best}$, and that the returned model has the "
            f"minimum loss, {returned},",
        },
    )
    assert_quoted(
        ch, "465c2b18", {"es": f"{trained} épocas y {n(returned)}.", "en": f"{trained} epochs and {returned}."}
    )


def claim_exercise_2(ch: Chapter) -> None:
    rows = re.findall(r"(\d): (\d+\.\d%) ± (\d\.\d%)", ch.output("a1f79b6d"))
    assert len(rows) == 10
    accuracy = {digit: pct for digit, pct, _ in rows}
    errors = sorted(float(se.rstrip("%")) for _, _, se in rows)
    worst, easiest = rows[0][0], rows[-1][0]
    out = ch.output("599ac97a")
    assert search(r": (\d)\n", out, "hardest").group(1) == worst
    close = sorted(search(r"\[([\d ]+)\]", out, "close digits").group(1).split())
    others = [d for d in close if d != worst]
    assert len(others) == 2, "the prose names two digits within two standard errors of the worst"
    n = ch.number
    assert_quoted(
        ch,
        "d43a285c",
        {
            "es": f"va de {n(f'{errors[0]}')} a {n(f'{errors[-1]}')} puntos",
            "en": f"goes from {errors[0]} to {errors[-1]} points",
        },
    )
    second, third = sorted(others, key=lambda d: accuracy[d])
    assert_quoted(
        ch,
        "d43a285c",
        {
            "es": f"el peor es el {worst} ({n(accuracy[worst])}), pero el {second} ({n(accuracy[second])}) y el "
            f"{third} ({n(accuracy[third])}) están a menos de dos errores estándar",
            "en": f"the worst is digit {worst} ({accuracy[worst]}), but digits {second} ({accuracy[second]}) and "
            f"{third} ({accuracy[third]}) are within two standard errors",
        },
    )
    assert_quoted(
        ch,
        "d43a285c",
        {
            "es": f"la que separa el {worst} del {easiest} ({n(accuracy[easiest])})",
            "en": f"the one between {worst} and {easiest} ({accuracy[easiest]})",
        },
    )


def claim_exercise_3(ch: Chapter) -> None:
    out = ch.output("23f6b1d9")
    linear, hidden = search(r"(\d\.\d{4})\D+(\d\.\d{4})\n", out, "accuracies").groups()
    difference, noise = search(r"(\d+\.\d\d) \D+(\d\.\d)%", out, "difference").groups()
    assert difference == f"{100 * (float(hidden) - float(linear)):.2f}", "the difference of the printed figures"
    assert hidden == main_training(ch)[1][3], "the chapter's model after epoch 2, from its own fit output"
    assert search(r"val_accuracy: (\d\.\d{4}) - val_loss: \S+\n$", ch.output("32de8a56"), "fit").group(1) == linear
    assert float(difference) > 10 * float(noise), "the prose says: more than ten times the noise"
    n = ch.number
    assert_quoted(
        ch,
        "ec10d57a",
        {
            "es": f"llega a {n(linear)} de exactitud de validación y el modelo con capa oculta, a {n(hidden)}: "
            f"{n(difference)} puntos más",
            "en": f"reaches a validation accuracy of {linear} and the model with a hidden layer, {hidden}: "
            f"{difference} points more",
        },
    )
    assert_quoted(ch, "ec10d57a", {"es": f"es de {n(noise)} puntos como mucho", "en": f"is {noise} points at most"})


def claim_exercise_4(ch: Chapter) -> None:
    out = ch.output("31e05847")
    right, wrong = re.findall(r": +(\d\.\d\d)\n", out)
    confident, mistakes = search(r": (\d+) \D+ (\d+)\n$", out, "confident mistakes").groups()
    assert mistakes == search(r": (\d+)\n", ch.output("5418fe09"), "misclassified").group(1)
    assert float(wrong) < float(right)
    n = ch.number
    assert_quoted(
        ch,
        "1d3f5cf2",
        {
            "es": f"es de {n(right)} en los aciertos y de {n(wrong)} en los errores, y {confident} de sus "
            f"{mistakes} errores",
            "en": f"is {right} on the correct predictions and {wrong} on the mistakes, and {confident} of its "
            f"{mistakes} mistakes",
        },
    )
    table = re.findall(r"(\d\.\d\d) \D+ (\d\.\d\d) +(\d+) +(\d\.\d{3}) +(\d\.\d{3})\n", ch.output("5b7e2c98"))
    assert [(low, high) for low, high, *_ in table] == [
        ("0.00", "0.50"),
        ("0.50", "0.80"),
        ("0.80", "0.95"),
        ("0.95", "0.99"),
        ("0.99", "1.00"),
    ]
    rows = {low: (int(count), float(conf), float(acc), conf, acc) for low, _, count, conf, acc in table}
    total, conf_all, acc_all = search(r"(\d+) +(\d\.\d{3}) +(\d\.\d{3})\n$", ch.output("5b7e2c98"), "all").groups()
    assert int(total) == sum(row[0] for row in rows.values()) == 10_000
    assert abs(float(conf_all) - float(acc_all)) < 0.005, "the prose says: almost equal overall"
    assert_quoted(
        ch,
        "1d3f5cf2",
        {
            "es": f"la confianza media es {n(conf_all)} y la exactitud, {n(acc_all)}: casi iguales",
            "en": f"the mean confidence is {conf_all} and the accuracy {acc_all}: almost equal",
        },
    )
    top, high, middle = rows["0.99"], rows["0.80"], rows["0.50"]
    assert abs(top[1] - top[2]) < 0.002 and abs(high[1] - high[2]) < 0.01, "the prose says: these groups agree"
    assert_quoted(
        ch,
        "1d3f5cf2",
        {
            "es": f"en los {top[0]} casos con más de 0,99 de confianza la exactitud es {n(top[4])}",
            "en": f"in the {top[0]:,} cases with a confidence above 0.99 the accuracy is {top[4]}",
        },
    )
    assert_quoted(
        ch,
        "1d3f5cf2",
        {
            "es": f"la confianza media ({n(high[3])}) y la exactitud ({n(high[4])}) también coinciden",
            "en": f"the mean confidence ({high[3]}) and the accuracy ({high[4]}) also agree",
        },
    )
    error = math.sqrt(middle[2] * (1 - middle[2]) / middle[0])
    assert abs(middle[1] - middle[2]) < 2 * error, "the prose says: of the order of its standard error"
    assert_quoted(
        ch,
        "1d3f5cf2",
        {
            "es": f"entre 0,50 y 0,80 ({middle[0]} imágenes), {n(middle[3])} de confianza frente a {n(middle[4])} "
            f"de exactitud, una diferencia del orden de su error estándar (unos {n(f'{error:.3f}')})",
            "en": f"between 0.50 and 0.80 ({middle[0]} images), a confidence of {middle[3]} against an accuracy of "
            f"{middle[4]}, a difference of the order of its standard error (about {error:.3f})",
        },
    )


def claim_exercise_5(ch: Chapter) -> None:
    out = ch.output("5b7e2c9a")
    scaled, raw = re.findall(r": +(\d+\.\d+)\n", out)
    saturated = search(r": (\d+%)\n$", out, "saturated").group(1)
    assert abs(float(scaled) - math.log(10)) < 0.1 and 2 * math.log(10) < float(raw) <= -math.log(1e-7)
    assert scaled == search(r": (\d\.\d\d)\n", ch.output("86dbe1a6"), "initial loss").group(1)
    n = ch.number
    assert_quoted(
        ch,
        "5b7e2c9b",
        {
            "es": f"la pérdida inicial es {n(scaled)}, cerca de $\\ln 10$, como en el capítulo. Sin escalar sube a "
            f"{n(raw)}",
            "en": f"the initial loss is {scaled}, close to $\\ln 10$, as in the chapter. Without scaling it goes up "
            f"to {raw}",
        },
    )
    assert_quoted(
        ch,
        "5b7e2c9b",
        {
            "es": f"por encima de 0,99 en el {n(saturated)} de las imágenes",
            "en": f"above 0.99 on {saturated} of the images",
        },
    )


CLAIMS = [
    claim_validation_split,
    claim_validation_curve,
    claim_test_accuracy,
    claim_initial_loss,
    claim_logits,
    claim_dropout,
    claim_overfitting,
    claim_early_stopping,
    claim_controlled_dropout,
    claim_exercise_1,
    claim_exercise_2,
    claim_exercise_3,
    claim_exercise_4,
    claim_exercise_5,
]


test_both_editions_exist, test_prose_quotes_the_outputs = claims_tests(QUICKSTART, CLAIMS)
