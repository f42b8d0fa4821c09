"""Errors a user can act on. The CLI turns each into one line and an exit code."""

from __future__ import annotations


class ClimateKGError(Exception):
    """Base class: the message is shown to the user as it is."""

    exit_code = 1


class LoadError(ClimateKGError):
    """Bad input: names the file, the line or row, the field and the reason."""

    def __init__(self, path: str, reason: str, *, line: int | None = None, field: str | None = None):
        self.path, self.line, self.field, self.reason = path, line, field, reason
        where = path + (f":{line}" if line is not None else "")
        super().__init__(f"{where}: {field + ': ' if field else ''}{reason}")


def syntax_error(path: str, exc: SyntaxError) -> LoadError:
    """A parser's SyntaxError (Oxigraph's, for RDF files) as a one-line LoadError with its line."""
    reason = " ".join(str(exc.msg if exc.msg is not None else exc).split())
    return LoadError(path, reason, line=exc.lineno)


class NotFoundError(ClimateKGError):
    """A name that matches no entity, or more than one (then ``candidates`` lists them)."""

    exit_code = 2

    def __init__(self, message: str, candidates: list[str] | None = None):
        self.candidates = candidates or []
        super().__init__(message)


class StoreError(ClimateKGError):
    """The store cannot be reached or refused the operation."""
