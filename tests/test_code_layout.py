"""The package reads in one sitting (issue 16): no class in ``ganbook/`` over 300 lines, no
function over 60 lines of code (docstrings, comments and blank lines not counted)."""

import ast
import io
import tokenize
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ganbook"
MAX_CLASS_LINES, MAX_FUNCTION_CODE = 300, 60


def code_lines(source):
    """Line numbers that hold code: not blank, not only a comment, not part of a docstring."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if isinstance(first.value.value, str):
                    docstrings.update(range(first.lineno, first.end_lineno + 1))
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines - docstrings


def definitions():
    """(place, kind, physical lines, lines of code) of every class and function of the package."""
    for module in sorted(PACKAGE.rglob("*.py")):
        source = module.read_text(encoding="utf-8")
        code = code_lines(source)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                span = range(node.lineno, node.end_lineno + 1)
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                place = f"{module.relative_to(PACKAGE)}:{node.lineno} {node.name}"
                yield place, kind, len(span), len(code.intersection(span))


def test_code_lines_skip_docstrings_comments_and_blank_lines():
    source = "\n".join(
        ["def f(x):", '    """Doc.', "", '    More."""', "    # a comment", "", "    return (x +"]
        + ["            1)", ""]
    )
    assert sorted(code_lines(source)) == [1, 7, 8]


def test_no_class_over_300_lines_and_no_function_over_60_lines_of_code():
    found = list(definitions())
    assert any(kind == "class" for _, kind, _, _ in found) and len(found) > 100
    long_classes = [(p, n) for p, kind, n, _ in found if kind == "class" and n > MAX_CLASS_LINES]
    long_functions = [
        (p, c) for p, kind, _, c in found if kind == "function" and c > MAX_FUNCTION_CODE
    ]
    assert not long_classes, long_classes
    assert not long_functions, long_functions
