"""A problem found in a content file, reported as `path:line: message` (the format editors' tools understand)."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"  # the file cannot be loaded
WARNING = "warning"  # the file loads, but breaks a content rule that `kb check` enforces


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class HasProblems:
    """For result objects that carry `problems`: the ones that stop a file from loading."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]
