"""A tiny two-edition book for the parity tests: a chapter and two pages, marked up to date."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools.i18n import parity

SOLUTION = {"tags": ["hide-cell"]}
PROMPTS = {
    "es": {"code_prompt_show": "Mostrar la solución", "code_prompt_hide": "Ocultar la solución"},
    "en": {"code_prompt_show": "Show the solution", "code_prompt_hide": "Hide the solution"},
}
ALT = {
    "es": "Curva de la pérdida frente a la época: baja de 0,30 a 0,08 en 5 épocas.",
    "en": "Curve of the loss against the epoch: it goes down from 0.30 to 0.08 in 5 epochs.",
}
TRAINING_LOG = (
    "Epoch 1/2\n1875/1875 - {} - accuracy: 0.9139 - loss: 0.3007\nEpoch 2/2\n1875/1875 - {} - accuracy: 0.9573\n"
)

GUIDE = {
    "es": """# Guía para docentes

Esta guía propone qué ejercicios asignar y cuánto tiempo llevan. Empieza por el [inicio](index.md).

## Tareas sugeridas

Los tiempos son orientativos, para quien acaba de terminar el capítulo.

| Capítulo | Ejercicio | Tiempo |
| --- | --- | --- |
| 1 | Ejercicio 1: predice la forma | 10 minutos |
| 2 | Ejercicio 2: cambia la tasa de aprendizaje | 15 minutos |
""",
    "en": """# Instructor guide

This guide tells you which exercises to assign and how long they take. Start with the [home](index.md) page.

## Suggested assignments

The times are a rough guide for someone who has just finished the chapter.

| Chapter | Exercise | Time |
| --- | --- | --- |
| 1 | Exercise 1: predict the shape | 10 minutes |
| 2 | Exercise 2: change the learning rate | 15 minutes |
""",
}
GLOSSARY = {
    "es": """# Glosario

Este glosario reúne los términos técnicos que usa el libro, en orden alfabético.

:::{glossary}
Exactitud (*accuracy*)
  Fracción de ejemplos bien clasificados. Ver el [capítulo 2](02_keras.ipynb).

Sobreajuste (*overfitting*)
  Situación en la que el modelo memoriza los datos de entrenamiento y funciona peor con datos nuevos.
:::
""",
    "en": """# Glossary

This glossary collects the technical terms used in the book, in alphabetical order.

:::{glossary}
Accuracy (*exactitud*)
  The fraction of examples that are classified correctly. See [chapter 2](02_keras.ipynb).

Overfitting (*sobreajuste*)
  The situation in which the model memorizes the training data and does worse on new data.
:::
""",
}


def chapter(language):
    """A tiny chapter: prose, a training cell with outputs, a figure, an exercise and its solution."""
    es = language == "es"
    fit = new_code_cell(
        "history = model.fit(x_train, y_train, epochs=2, verbose=2)  # "
        + ("entrena dos épocas" if es else "train for two epochs")
        + "\n"
        + ('print(f"Exactitud final: {acc.max():.3f}")' if es else 'print(f"Final accuracy: {acc.max():.3f}")'),
        outputs=[
            new_output("stream", name="stdout", text=TRAINING_LOG.format("3s - 2ms/step", "2s - 1ms/step")),
            new_output("stream", name="stdout", text=("Exactitud final: " if es else "Final accuracy: ") + "0.957\n"),
        ],
    )
    figure = new_code_cell(
        'plt.plot(history.history["loss"])\nplt.xlabel("'
        + ("Época" if es else "Epoch")
        + '")\nplt.title("'
        + ("La pérdida baja en cada época" if es else "The loss goes down at every epoch")
        + '")',
        metadata={"mystnb": {"image": {"alt": ALT[language]}}},
    )
    solution = new_code_cell("print(model.count_params())", metadata={**SOLUTION, "mystnb": PROMPTS[language]})
    solution.outputs = [new_output("execute_result", data={"text/plain": "101770"}, execution_count=1)]
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# Introducción\n\nEn este capítulo aprendes a entrenar una red neuronal sencilla en 5 minutos."
                if es
                else "# Introduction\n\nIn this chapter you learn to train a simple neural network in 5 minutes."
            ),
            fit,
            figure,
            new_markdown_cell(
                "### Ejercicio 1: contar parámetros\n\nCuenta a mano cuántos parámetros tiene el modelo."
                if es
                else "### Exercise 1: count the parameters\n\nCount by hand how many parameters the model has."
            ),
            solution,
            new_markdown_cell(
                "## Resumen\n\nHas visto cómo se entrena un modelo y cómo se evalúa después."
                if es
                else "## Summary\n\nYou have seen how a model is trained and then evaluated."
            ),
        ]
    )


def make_book(tmp_path):
    """A tiny two-edition book (a chapter and two pages) whose English twin is marked up to date."""
    es, en = chapter("es"), chapter("en")
    for cell_es, cell_en in zip(es.cells, en.cells):
        cell_en.id = cell_es.id
    for language, notebook in (("es", es), ("en", en)):
        (tmp_path / language).mkdir()
        nbformat.write(notebook, tmp_path / language / "01_intro.ipynb")
        (tmp_path / language / "instructor_guide.md").write_text(GUIDE[language], encoding="utf-8")
        (tmp_path / language / "glossary.md").write_text(GLOSSARY[language], encoding="utf-8")
    assert parity.main(["--mark-translated", "--all", "--root", str(tmp_path)]) == 0
    return tmp_path


def edit(path, change):
    notebook = nbformat.read(path, as_version=4)
    change(notebook)
    nbformat.write(notebook, path)


def edit_cell(path, index, change):
    def apply(notebook):
        change(notebook.cells[index])

    edit(path, apply)


def replace_in_page(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_about(book, text):
    problems = parity.check(book)
    return [p for p in problems if text in p], problems


def set_pair(book, index, sources, printed=None):
    """Give both editions' cell ``index`` new sources (and printed text), and mark the pair translated.

    Both sides change, so the mark needs no reason: what the check says next is
    about the pair itself, not about its record.
    """
    for language in ("es", "en"):

        def change(cell, language=language):
            cell.source = sources[language]
            if printed is not None:
                cell.outputs = [new_output("stream", name="stdout", text=printed[language])]

        edit_cell(book / language / "01_intro.ipynb", index, change)
    assert parity.main(["--mark-translated", str(book / "en" / "01_intro.ipynb"), str(index)]) == 0
