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

Each edition is set up for search engines and link previews from the same
settings (tools/site/editions.py): its canonical address, a sitemap with
absolute hreflang alternates (sphinx-sitemap), a 404 page whose links work at
any depth (sphinx-notfound-page), Open Graph and Twitter card tags with an image
per page (sphinxext-opengraph), the author in its language. The site's root
(language choice, 404 page, sitemap index, robots.txt) is tools/site/published.py's.

Usage: ``python -m tools.site.build [--no-handouts | --quick]``
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
from tools.site import bundles, handouts, published
from tools.site.editions import EDITIONS, base_path, base_url

BUILD_DIR = REPO_ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
# --all: an incremental build would skip unchanged pages and hide their warnings.
STRICT_FLAGS = ["--all", "-n", "-W", "--keep-going"]


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
    edition, root = EDITIONS[language], base_url(config)
    config["title"] = edition["title"]
    config["author"] = edition["author"]  # the footer and the PDFs' author, in the page's language
    config["repository"]["path_to_book"] = f"book/{language}"
    sphinx = config["sphinx"]
    sphinx["config"]["language"] = language
    sphinx["config"].update(
        {
            "html_baseurl": f"{root}{language}/",  # canonical links, and what the extensions below build on
            "site_url": root,  # sphinx-sitemap: its {lang}{link} scheme adds the edition's folder
            "ogp_site_url": f"{root}{language}/",
            "ogp_site_name": edition["title"],
            "ogp_custom_meta_tags": [f'<meta property="og:locale" content="{edition["locale"]}" />']
            + [
                f'<meta property="og:locale:alternate" content="{other["locale"]}" />'
                for code, other in EDITIONS.items()
                if code != language
            ],
            "notfound_urls_prefix": f"{base_path(config)}{language}/",  # absolute links: any depth works
            "notfound_context": {
                "title": edition["not_found_title"],
                "body": f"<h1>{html.escape(edition['not_found_title'])}</h1>\n"
                f"<p>{html.escape(edition['not_found_text'])}</p>\n"
                f'<p><a href="{base_path(config)}{language}/index.html">{html.escape(edition["home"])}</a></p>',
            },
        }
    )
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


# Shown on a download link that a quick build did not make (`make preview`).
NOT_BUILT = {
    "es": "No se genera en una construcción rápida: `make book` lo crea.",
    "en": "Not made by a quick build: `make book` makes it.",
}


def build(quiet: bool = False, with_handouts: bool = True, quick: bool = False) -> BuildResult:
    """Build every edition, the site's root and the downloads; stop at the first failure.

    ``quick`` (`make preview`): the editions and the notebooks zip only, no student
    notebooks (otter) nor PDF handouts; their links on the pages become plain text.
    """
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
    published.write_root(HTML_DIR, languages, Path(favicon).name if favicon else None)
    for language in languages:
        bundles.write_bundle(language, EDITIONS[language]["title"], HTML_DIR / language / bundles.DOWNLOADS)
    if quick:
        unlinked = published.unlink_missing_downloads(HTML_DIR, languages, NOT_BUILT)
        return BuildResult(0, outputs.stdout + f"Quick build: no student notebooks nor PDFs ({unlinked} links).\n", "")
    started = time.perf_counter()
    try:
        students = assignment_build.publish_student_notebooks(
            {lang: HTML_DIR / lang / bundles.DOWNLOADS for lang in languages}
        )
    except otter.OtterError as error:
        return BuildResult(1, outputs.stdout, outputs.stderr + f"error: {error}\n")
    report = f"Student notebooks built by otter in {time.perf_counter() - started:.1f} s: {len(students)}\n"
    outputs = BuildResult(0, outputs.stdout + report, outputs.stderr)
    if with_handouts:
        try:
            report = handouts.print_all(HTML_DIR, languages)
        except handouts.HandoutError as error:
            return BuildResult(1, outputs.stdout, outputs.stderr + f"error: {error}\n")
        outputs = BuildResult(0, outputs.stdout + report, outputs.stderr)
    else:
        unlinked = published.unlink_missing_downloads(HTML_DIR, languages, NOT_BUILT)
        outputs = BuildResult(0, outputs.stdout + f"No PDF handouts ({unlinked} links).\n", outputs.stderr)
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-handouts", action="store_true", help="skip printing the PDF handouts (faster)")
    parser.add_argument("--quick", action="store_true", help="editions only: no student notebooks, no PDFs")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = build(with_handouts=not args.no_handouts, quick=args.quick)
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
