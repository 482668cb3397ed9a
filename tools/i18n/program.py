"""Twin code cells are the same program: compared as syntax trees, string literals and comments set aside.

The English cell may differ from the Spanish one only in what a reader reads
(comments, printed strings, labels). IPython magics are parsed through IPython's
own transformer, their arguments kept as code.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from tools.i18n.records import SIDE_NAME, SOURCE, TRANSLATION

TEXT_NODES = tuple(t for t in (ast.JoinedStr, getattr(ast, "TemplateStr", None)) if t)
FORMATTED_NODES = tuple(t for t in (ast.FormattedValue, getattr(ast, "Interpolation", None)) if t)
IGNORED_FIELDS = {"kind", "type_comment"}  # the u"" prefix and type comments are not the program
MAGIC_METHODS = {"run_line_magic", "run_cell_magic", "system", "getoutput"}
# Cell magics whose body is Python: the body is compared as code (comments and strings may differ).
PYTHON_CELL_MAGIC = re.compile(r"\s*%%(time|timeit|capture|prun)\b(.*)")


def is_text(node) -> bool:
    """A string literal or f-string: its literal text may be translated."""
    return isinstance(node, TEXT_NODES) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def is_magic_call(node) -> bool:
    """``get_ipython().run_line_magic(...)``, as IPython writes ``%magic``, ``!cmd``..."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MAGIC_METHODS
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "get_ipython"
    )


def python_source(source: str) -> str:
    """The cell as plain Python: IPython magics become the calls IPython makes."""
    first, _, body = source.partition("\n")
    if match := PYTHON_CELL_MAGIC.fullmatch(first):
        return f"get_ipython().run_cell_magic({match[1]!r}, {match[2].strip()!r}, '')\n" + python_source(body)
    try:
        ast.parse(source)
        return source
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)


def program_tree(source: str) -> ast.Module:
    return ast.parse(python_source(source))


def formatted_values(node) -> list:
    """What is code in a string literal: the replacement fields of an f-string."""
    return [v for v in getattr(node, "values", []) if isinstance(v, FORMATTED_NODES)]


def without_empty_text(values: list) -> list:
    # Python 3.12 adds empty Constant parts to some format specs; 3.11 does not.
    return [v for v in values if not (isinstance(v, ast.Constant) and v.value == "")]


def differing_nodes(es, en, es_owner=None, en_owner=None, strict=False):
    """The first place where two trees differ, as (es node, en node), or None.

    A node is None where one side has nothing (an extra statement, argument...).
    With ``strict`` (format specs, magic arguments) string text is code too.
    """
    if isinstance(es, list) or isinstance(en, list):
        if not (isinstance(es, list) and isinstance(en, list)):
            return es_owner, en_owner
        if strict:
            es, en = without_empty_text(es), without_empty_text(en)
        for x, y in zip(es, en):
            found = differing_nodes(x, y, es_owner, en_owner, strict)
            if found:
                return found
        if len(es) != len(en):
            extra = es[len(en)] if len(es) > len(en) else en[len(es)]
            if not isinstance(extra, ast.AST):
                return es_owner, en_owner
            return (extra, None) if len(es) > len(en) else (None, extra)
        return None
    if isinstance(es, ast.AST) and isinstance(en, ast.AST):
        if not strict and is_text(es) and is_text(en):
            return differing_nodes(formatted_values(es), formatted_values(en), es, en)
        if type(es) is not type(en):
            return es, en
        strict = strict or is_magic_call(es)
        for name in es._fields:
            if name in IGNORED_FIELDS:
                continue
            keep_text = strict or (isinstance(es, FORMATTED_NODES) and name == "format_spec")
            found = differing_nodes(getattr(es, name, None), getattr(en, name, None), es, en, keep_text)
            if found:
                return found
        return None
    if isinstance(es, ast.AST) or isinstance(en, ast.AST) or type(es) is not type(en) or es != en:
        return es_owner, en_owner
    return None


def snippet(node) -> str:
    if node is None:
        return "nothing"
    try:
        text = str(node.value) if isinstance(node, ast.Constant) else ast.unparse(node)
    except Exception:  # a fragment that does not unparse on its own
        text = ast.dump(node)
    text = " ".join(text.split())
    return repr(text if len(text) <= 70 else text[:67] + "...")


def describe_difference(es_node, en_node) -> str:
    lines = [getattr(n, "lineno", None) for n in (es_node, en_node)]
    if lines[0] == lines[1] or None in lines:
        line = next((n for n in lines if n is not None), None)
        where = f"line {line}" if line else "first difference"
    else:
        where = f"line {lines[0]} (es) / {lines[1]} (en)"
    return f"{where}: {snippet(es_node)} (es) vs {snippet(en_node)} (en)"


def token_difference(es_source: str, en_source: str) -> str | None:
    """For cells that are not Python (both fail to parse): tokens without comments and strings."""
    ignored = {tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE}

    def tokens(source):
        return [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in ignored]

    es_tokens, en_tokens = tokens(es_source), tokens(en_source)
    for index, (x, y) in enumerate(zip(es_tokens, en_tokens)):
        if x != y:
            return f"neither cell parses; token {index + 1}: {x!r} (es) vs {y!r} (en)"
    if len(es_tokens) != len(en_tokens):
        return f"neither cell parses; {len(es_tokens)} tokens (es) vs {len(en_tokens)} (en)"
    return None


def program_difference(es_source: str, en_source: str) -> str | None:
    """None if both cells are the same program, else a readable first difference."""
    trees = []
    for side, source in ((SOURCE, es_source), (TRANSLATION, en_source)):
        try:
            trees.append(program_tree(source))
        except SyntaxError as error:
            trees.append(f"the {SIDE_NAME[side]} cell does not parse ({error.msg}, line {error.lineno})")
    es_tree, en_tree = trees
    if isinstance(es_tree, str) and isinstance(en_tree, str):
        try:
            return token_difference(es_source, en_source)
        except (tokenize.TokenError, SyntaxError):
            return None if es_source == en_source else f"{es_tree}; {en_tree}"
    if isinstance(es_tree, str) or isinstance(en_tree, str):
        return es_tree if isinstance(es_tree, str) else en_tree
    found = differing_nodes(es_tree.body, en_tree.body, es_tree, en_tree)
    return describe_difference(*found) if found else None


def literal_texts(node, out: list[str], strict: bool = False) -> list[str]:
    """The translatable text of string literals, in source order (not format specs)."""
    if isinstance(node, list):
        for item in node:
            literal_texts(item, out, strict)
    elif isinstance(node, ast.AST):
        if not strict and isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
            out.append(node.value)
        strict = strict or is_magic_call(node)
        for name in node._fields:
            keep = strict or (isinstance(node, FORMATTED_NODES) and name == "format_spec")
            literal_texts(getattr(node, name, None), out, keep)
    return out


def translatable_code(source: str) -> dict:
    """A code cell's comments and string literals: what a translator changes."""
    try:
        python = python_source(source)
        tree = ast.parse(python)
        tokens = tokenize.generate_tokens(io.StringIO(python).readline)
        comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    except (SyntaxError, tokenize.TokenError):
        return {"unparsed": source}
    return {"strings": literal_texts(tree.body, []), "comments": comments}
