"""Build the static site with Jupyter Book 1 (`make book`).

Two editions, one build each, published side by side:

    _build/html/index.html   choose a language
    _build/html/es/...       Spanish edition (book/es)
    _build/html/en/...       English edition (book/en)

Separate builds give each edition its own ``<html lang>``, the theme's words in
its language, and a search index that only returns pages in that language.
Both builds read the same ``_config.yml`` and ``_toc.yml`` (file names are the
same in both folders), which declare every site setting; this script only sets
what differs per edition (title, language, source folder: ``EDITIONS``) and
makes the config's repository-relative paths absolute.

Every build renders the committed notebook outputs (``execute_notebooks: off``)
with Sphinx's strict flags: ``-n`` (nitpicky), ``-W`` (warnings are errors),
``--keep-going`` (report every warning, not just the first).

The site works offline: MathJax is vendored first (``tools/assets/mathjax.py``).
After the editions, each one gets its downloads in ``<edition>/downloads/``:
the notebooks as one zip (``tools/site/bundles.py``), each chapter's student notebook
for assignments (``tools/grading/``, made by otter from the grading
environment) and the printable handouts (``tools/site/handouts.py``, printed from the
built pages by headless Chromium).

Usage: ``python -m tools.site.build [--no-handouts]``
"""

from __future__ import annotations

import argparse
import copy
import html
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.assets import mathjax
from tools.common.layout import REPO_ROOT
from tools.grading import build as assignment_build
from tools.grading import otter
from tools.site import bundles, handouts

BUILD_DIR = REPO_ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
# --all: an incremental build would skip unchanged pages and hide their warnings.
STRICT_FLAGS = ["--all", "-n", "-W", "--keep-going"]

# What differs between the editions; everything else lives in _config.yml.
EDITIONS = {
    "es": {"title": "TensorFlow y Keras desde cero", "choose": "Leer en español"},
    "en": {"title": "TensorFlow and Keras from scratch", "choose": "Read in English"},
}


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str


def from_repo_root(paths: list[str]) -> list[str]:
    """_config.yml's paths are relative to the repository root; each build runs from elsewhere."""
    return [str(REPO_ROOT / path) for path in paths]


def edition_config(language: str) -> dict:
    """_config.yml with the edition's title, language and source folder; its paths made absolute."""
    config = copy.deepcopy(yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8")))
    config["title"] = EDITIONS[language]["title"]
    config["repository"]["path_to_book"] = f"book/{language}"
    sphinx = config["sphinx"]
    sphinx["config"]["language"] = language
    sphinx["local_extensions"] = {name: from_repo_root([path])[0] for name, path in sphinx["local_extensions"].items()}
    for key in ("html_static_path", "templates_path"):
        sphinx["config"][key] = from_repo_root(sphinx["config"][key])
    if config.get("html", {}).get("favicon"):
        config["html"]["favicon"] = from_repo_root([config["html"]["favicon"]])[0]
    return config


def mathjax_script(config: dict) -> Path:
    """The MathJax file ``mathjax_path`` names, found in html_static_path (it must be local)."""
    sphinx_config = config["sphinx"]["config"]
    mathjax_path = sphinx_config.get("mathjax_path", "")
    if not mathjax_path or "//" in mathjax_path:
        raise FileNotFoundError(
            f"mathjax_path is {mathjax_path!r}: the site must serve MathJax itself, "
            "so set it in _config.yml to a file under html_static_path (offline readers get no CDN)"
        )
    for folder in sphinx_config["html_static_path"]:
        if (Path(folder) / mathjax_path).is_file():
            return Path(folder) / mathjax_path
    raise FileNotFoundError(f"mathjax_path {mathjax_path!r} is in no html_static_path folder of _config.yml")


def editions() -> list[str]:
    """Every edition; a missing landing page is an error, not a smaller site."""
    missing = [lang for lang in EDITIONS if not (REPO_ROOT / "book" / lang / "index.md").is_file()]
    if missing:
        raise FileNotFoundError(f"no book/{missing[0]}/index.md: every edition in EDITIONS needs its landing page")
    return list(EDITIONS)


def build_edition(language: str, quiet: bool) -> BuildResult:
    work = BUILD_DIR / "editions" / language
    work.mkdir(parents=True, exist_ok=True)
    # Sphinx never deletes output: a page or static file removed from the sources would stay published.
    shutil.rmtree(work / "_build" / "html", ignore_errors=True)
    config_path = work / "_config.yml"
    config_path.write_text(yaml.safe_dump(edition_config(language), allow_unicode=True), encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book),
        "build",
        str(REPO_ROOT / "book" / language),
        "--config",
        str(config_path),
        "--toc",
        str(REPO_ROOT / "_toc.yml"),
        "--path-output",
        str(work),
        "--builder",
        "html",
        *STRICT_FLAGS,
    ]
    result = subprocess.run(command, cwd=REPO_ROOT, text=True, capture_output=quiet, check=False)
    if result.returncode == 0:
        target = HTML_DIR / language
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(work / "_build" / "html", target)
    return BuildResult(result.returncode, result.stdout or "", result.stderr or "")


def landing_page(languages: list[str], favicon: str | None = None) -> str:
    links = "\n".join(
        f'    <li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">'
        f"{html.escape(EDITIONS[lang]['choose'])}</a> — {html.escape(EDITIONS[lang]['title'])}</li>"
        for lang in languages
    )
    alternates = "\n".join(f'  <link rel="alternate" hreflang="{lang}" href="{lang}/index.html">' for lang in languages)
    icon = f'\n  <link rel="icon" href="{html.escape(favicon)}">' if favicon else ""
    return f"""<!DOCTYPE html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(EDITIONS["es"]["title"])} · {html.escape(EDITIONS["en"]["title"])}</title>{icon}
{alternates}
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem;
           line-height: 1.5; color: #1a1a1a; }}
    li {{ margin: 0.75rem 0; font-size: 1.2rem; }}
    a {{ color: #0b5394; }}
  </style>
</head>
<body>
  <main>
    <h1>{html.escape(EDITIONS["es"]["title"])}</h1>
    <p>Elige un idioma. <span lang="en">Choose a language.</span></p>
    <ul>
{links}
    </ul>
  </main>
</body>
</html>
"""


def build(quiet: bool = False, with_handouts: bool = True) -> BuildResult:
    """Build every edition, the language-choice page and the downloads; stop at the first failure."""
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    outputs = BuildResult(0, "", "")
    languages = editions()
    try:
        mathjax.ensure_assets()
        mathjax_script(edition_config(languages[0]))
    except (mathjax.MathJaxAssetsError, FileNotFoundError) as error:
        return BuildResult(1, "", f"error: {error}\n")
    for language in languages:
        result = build_edition(language, quiet)
        outputs = BuildResult(result.returncode, outputs.stdout + result.stdout, outputs.stderr + result.stderr)
        if result.returncode != 0:
            return outputs
    favicon = edition_config(languages[0]).get("html", {}).get("favicon")
    if favicon:  # the editions have theirs in _static/; the language-choice page, beside it
        shutil.copyfile(favicon, HTML_DIR / Path(favicon).name)
    (HTML_DIR / "index.html").write_text(
        landing_page(languages, Path(favicon).name if favicon else None), encoding="utf-8"
    )
    (HTML_DIR / ".nojekyll").write_text("", encoding="utf-8")  # serve _static/ etc. as is
    for language in languages:
        bundles.write_bundle(language, EDITIONS[language]["title"], HTML_DIR / language / bundles.DOWNLOADS)
    started = time.perf_counter()
    try:
        published = assignment_build.publish_student_notebooks(
            {lang: HTML_DIR / lang / bundles.DOWNLOADS for lang in languages}
        )
    except otter.OtterError as error:
        return BuildResult(1, outputs.stdout, outputs.stderr + f"error: {error}\n")
    report = f"Student notebooks built by otter in {time.perf_counter() - started:.1f} s: {len(published)}\n"
    outputs = BuildResult(0, outputs.stdout + report, outputs.stderr)
    if with_handouts:
        try:
            report = handouts.print_all(HTML_DIR, languages)
        except handouts.HandoutError as error:
            return BuildResult(1, outputs.stdout, outputs.stderr + f"error: {error}\n")
        outputs = BuildResult(0, outputs.stdout + report, outputs.stderr)
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-handouts", action="store_true", help="skip printing the PDF handouts (faster)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = build(with_handouts=not args.no_handouts)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stderr)  # this script's own errors (Sphinx has printed its warnings)
        print(f"Site build failed after {seconds:.1f} s (see the warnings above).", file=sys.stderr)
        return result.returncode
    print(result.stdout, end="")
    print(f"Site built in {seconds:.1f} s: {HTML_DIR / 'index.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
