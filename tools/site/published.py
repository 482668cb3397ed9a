"""What the site's root holds, beside the editions: the language choice, the 404 page, sitemaps, robots.txt.

Each edition's own sitemap (sphinx-sitemap), 404 page (sphinx-notfound-page)
and link-preview tags (sphinxext-opengraph) come from its Sphinx build, set up
per edition by tools/site/build.py. What no single edition owns is written here:
- ``index.html``: the language-choice page, which is also every page's
  ``x-default`` alternate (the page for a reader whose language is neither);
- ``404.html``: GitHub Pages serves the root's 404 page for a missing address at
  any depth, in either edition, so it needs no asset of its own (inline style,
  absolute links) and puts the language of the address it was reached at first;
- ``sitemap.xml`` (an index of the editions' sitemaps) and ``robots.txt``.
Own code, and why: sphinx-sitemap 2.9.0 writes the alternates of the locales it
is given but has no ``x-default`` (checked in its source); ``add_x_default``
adds it to each edition's sitemap.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from tools.common.files import write_text_atomically
from tools.site.editions import EDITIONS, base_path, base_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
STYLE = """    body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem;
           line-height: 1.5; color: #1a1a1a; }
    li { margin: 0.75rem 0; font-size: 1.2rem; }
    a { color: #0b5394; }"""


def page(head: str, body: str, language: str = "es") -> str:
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
{head}
  <style>
{STYLE}
  </style>
</head>
<body>
  <main>
{body}
  </main>
</body>
</html>
"""


def alternates(languages: list[str], root: str) -> str:
    links = [f'  <link rel="alternate" hreflang="{lang}" href="{root}{lang}/index.html">' for lang in languages]
    return "\n".join([*links, f'  <link rel="alternate" hreflang="x-default" href="{root}index.html">'])


def landing_page(languages: list[str], favicon: str | None = None) -> str:
    """The language choice: one link per edition, each in its own language."""
    root = base_url()
    links = "\n".join(
        f'      <li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">'
        f"{html.escape(EDITIONS[lang]['choose'])}</a> — {html.escape(EDITIONS[lang]['title'])}</li>"
        for lang in languages
    )
    icon = f'\n  <link rel="icon" href="{html.escape(favicon)}">' if favicon else ""
    titles = " · ".join(html.escape(EDITIONS[lang]["title"]) for lang in languages)
    head = f'  <title>{titles}</title>\n  <link rel="canonical" href="{root}index.html">{icon}\n' + alternates(
        languages, root
    )
    body = f"""    <h1>{html.escape(EDITIONS[languages[0]]["title"])}</h1>
    <p>Elige un idioma. <span lang="en">Choose a language.</span></p>
    <ul>
{links}
    </ul>"""
    return page(head, body)


def not_found_page(languages: list[str], favicon: str | None = None) -> str:
    """The root 404 page: both languages, the address's own first; absolute links only."""
    prefix = base_path()
    sections = "\n".join(
        f"""    <section lang="{lang}" data-edition="{lang}">
      <h1>{html.escape(EDITIONS[lang]["not_found_title"])}</h1>
      <p>{html.escape(EDITIONS[lang]["not_found_text"])}</p>
      <p><a href="{prefix}{lang}/index.html">{html.escape(EDITIONS[lang]["home"])}</a></p>
    </section>"""
        for lang in languages
    )
    # The edition whose folder is in the address goes first (a missing /en/... page is read in English).
    script = f"""    <script>
      const edition = location.pathname.slice({len(prefix)}).split("/")[0];
      const first = document.querySelector(`section[data-edition="${{edition}}"]`);
      if (first) {{ first.parentNode.prepend(first); document.documentElement.lang = edition; }}
    </script>"""
    titles = " · ".join(html.escape(EDITIONS[lang]["not_found_title"]) for lang in languages)
    icon = f'\n  <link rel="icon" href="{prefix}{html.escape(favicon)}">' if favicon else ""
    head = f'  <title>{titles}</title>\n  <meta name="robots" content="noindex">{icon}'
    return page(head, f"{sections}\n{script}")


def add_x_default(sitemap: Path, root: str) -> None:
    """Give every page of an edition's sitemap the language-choice page as its x-default alternate."""
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    tree = ElementTree.parse(sitemap)
    for url in tree.getroot().iter(f"{{{SITEMAP_NS}}}url"):
        links = url.findall(f"{{{XHTML_NS}}}link")
        if not any(link.get("hreflang") == "x-default" for link in links):
            attributes = {"rel": "alternate", "hreflang": "x-default", "href": f"{root}index.html"}
            ElementTree.SubElement(url, f"{{{XHTML_NS}}}link", attributes)
    text = ElementTree.tostring(tree.getroot(), encoding="unicode", xml_declaration=False)
    write_text_atomically(sitemap, '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n")


def sitemap_index(languages: list[str], root: str) -> str:
    entries = "".join(f"  <sitemap><loc>{root}{lang}/sitemap.xml</loc></sitemap>\n" for lang in languages)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{entries}</sitemapindex>\n'


def write_root(html_dir: Path, languages: list[str], favicon: str | None) -> None:
    """Everything the root of the published site holds besides the editions' folders."""
    root = base_url()
    for lang in languages:
        add_x_default(html_dir / lang / "sitemap.xml", root)
    write_text_atomically(html_dir / "index.html", landing_page(languages, favicon))
    write_text_atomically(html_dir / "404.html", not_found_page(languages, favicon))
    write_text_atomically(html_dir / "sitemap.xml", sitemap_index(languages, root))
    write_text_atomically(html_dir / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {root}sitemap.xml\n")
    write_text_atomically(html_dir / ".nojekyll", "")  # serve _static/ and the like as they are


DOWNLOAD_LINK = re.compile(r'<a href="(downloads/[^"#]+)"[^>]*>(.*?)</a>', re.S)


def unlink_missing_downloads(html_dir: Path, languages: list[str], note: dict[str, str]) -> int:
    """A quick build makes no PDFs nor student notebooks: their links become text, not dead links."""
    changed = 0
    for lang in languages:
        for path in sorted((html_dir / lang).glob("*.html")):
            text, count = unlink_missing(path.read_text(encoding="utf-8"), html_dir / lang, note[lang])
            if count:
                write_text_atomically(path, text)
                changed += count
    return changed


def unlink_missing(text: str, folder: Path, note: str) -> tuple[str, int]:
    """``text`` with each link to a missing download replaced by its label; and how many."""
    missing = [m for m in DOWNLOAD_LINK.finditer(text) if not (folder / m.group(1)).exists()]
    for match in reversed(missing):
        label = f'<span class="download-missing" title="{html.escape(note)}">{match.group(2)}</span>'
        text = text[: match.start()] + label + text[match.end() :]
    return text, len(missing)
