"""Errors users see: one clear message naming the file, the field and what is allowed."""

from __future__ import annotations


class SkydcError(Exception):
    """Base of every error skydc reports to a user (the CLI prints it, exit code 2)."""


class ScenarioError(SkydcError):
    """A scenario (or a file it names) is invalid.

    Parameters
    ----------
    message
        What is wrong and what is allowed.
    file
        The file the problem is in (scenario, TLE or OMM file), if any.
    field
        The field's path in the scenario, like ``shells[1].altitude_km``, if any.
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.message = message
        self.file = file
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.field:
            where.append(self.field)
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
