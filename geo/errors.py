"""The error types of the atlas.

Every problem a user can fix (a bad file, a wrong flag, an unknown boundary set) is raised as an
`AtlasError` carrying a message meant for that user; the command line and the app show it as is, never
a traceback. Validation collects every problem it finds and raises once (`InputError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Control characters (NUL, escape sequences, line breaks) and bidirectional overrides: a message quoting a
# file's content must stay one readable line on a terminal and on the page.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""`text` with control and bidirectional-override characters written as escapes (\x00, \n, \u202e).

    Parameters
    ----------
    text
        Text from a file or a user.

    Returns
    -------
    str
        `text` with control and bidirectional-override characters written as escapes (\\x00, \\n, \\u202e).
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class AtlasError(Exception):
    """A problem the user can fix; its message says what is wrong and what to do."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        """The problem in one line: "file.csv, line 12: what is wrong"."""
        where = ""
        if self.file:
            where = f"{self.file}"
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        return printable(where + self.message)


class InputError(AtlasError):
    """One or more problems with an input file; nothing of it was applied."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, file=file)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = len(self.problems) - 5
        return f"{len(self.problems)} problems: {shown}" + (f"; and {more} more" if more > 0 else "")


class BoundaryError(AtlasError):
    """A boundary set that cannot be loaded or registered."""


class StoreError(AtlasError):
    """A store operation that cannot be carried out (unknown batch, rollback blocked, ...)."""


class AccountingError(AtlasError):
    """A batch whose row accounting does not balance; it is refused whole (nothing is stored)."""


class UnknownFormatError(InputError):
    """A file whose columns match no known format and that came without a column mapping."""

    def __init__(self, message: str, *, file: str, header: list[str]) -> None:
        super().__init__(message)
        self.file = file
        self.header = list(header)
