"""What differs between the two editions of the site, and where the site is published.

Everything else is in _config.yml, read by both builds. The published address
comes from _config.yml too: ``html.baseurl`` when it is set, otherwise the
GitHub Pages address of ``repository.url`` (https://OWNER.github.io/NAME/), so a
fork that changes ``repository.url`` publishes correct sitemaps, canonical links
and link previews without another setting.
"""

from __future__ import annotations

from urllib.parse import urlparse

import yaml

from tools.common.layout import REPO_ROOT

EDITIONS = {
    "es": {
        "title": "TensorFlow y Keras desde cero",
        "author": "Los autores de «TensorFlow y Keras desde cero»",
        "choose": "Leer en español",
        "locale": "es_ES",  # Open Graph locale: the book is written in Spain's Spanish (STYLE.md)
        "not_found_title": "Página no encontrada",
        "not_found_text": (
            "Esta dirección no lleva a ninguna página del libro: quizá está mal escrita o la página cambió."
        ),
        "home": "Ir al inicio del libro",
    },
    "en": {
        "title": "TensorFlow and Keras from scratch",
        "author": "The authors of “TensorFlow and Keras from scratch”",
        "choose": "Read in English",
        "locale": "en_US",
        "not_found_title": "Page not found",
        "not_found_text": "This address leads to no page of the book. It may be mistyped, or the page may have moved.",
        "home": "Go to the book's home page",
    },
}


def config() -> dict:
    return yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))


def base_url(settings: dict | None = None) -> str:
    """The published site's root, ending in "/" (the language-choice page is its index.html)."""
    settings = settings or config()
    explicit = (settings.get("html") or {}).get("baseurl")
    if explicit:
        return explicit.rstrip("/") + "/"
    repository = urlparse(settings["repository"]["url"])
    owner, name = repository.path.strip("/").split("/")[:2]
    if repository.netloc != "github.com":
        raise ValueError(f"repository.url {settings['repository']['url']!r} is not on GitHub: set html.baseurl")
    return f"https://{owner.lower()}.github.io/{name}/"


def base_path(settings: dict | None = None) -> str:
    """The root's path on its host ("/tensorflow-keras-desde-cero/"): where absolute links start."""
    return urlparse(base_url(settings)).path
