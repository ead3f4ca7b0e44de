"""Errors that reach a person: each carries a message key and is worded in their language."""

from __future__ import annotations

from lobby_tui.i18n import tr


class InputError(ValueError):
    """Bad input from a person or a file: shown to them, never a traceback."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        return tr(self.key, lang, **self.params)

    def __str__(self) -> str:  # English for logs and tests
        return self.message("en")


class RulesError(InputError):
    """A data file (tier table, guidance rules) that cannot be used: names the file, key and problem."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__("rules.bad", file=file, where=key, problem=problem)
