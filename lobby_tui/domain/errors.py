"""Errors that reach a person: each carries a message key and is worded in their language."""

from __future__ import annotations

from lobby_tui.i18n import tr


class InputError(ValueError):
    """Bad input from a person or a file: shown to them, never a traceback."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    # Parameters that name a file or folder, or a birth date, are shown as they are; every other is what a
    # person typed or a file held, and has its phone, ID and card numbers masked (issue 14). In a
    # message about an amount, a sum of seven digits stays readable.
    PLAIN_PARAMS = frozenset({"path", "keyfile", "file", "folder", "log", "birth"})  # birth: 8 digits, a date

    def message(self, lang: str) -> str:
        from lobby_tui.domain.privacy import mask_numbers

        amount = self.key.startswith("amount.")
        params = {
            k: mask_numbers(v, amount=amount) if isinstance(v, str) and k not in self.PLAIN_PARAMS else v
            for k, v in self.params.items()
        }
        return tr(self.key, lang, **params)

    def __str__(self) -> str:  # English for logs and tests
        return self.message("en")


class RulesError(InputError):
    """A data file (tier table, guidance rules) that cannot be used: names the file, key and problem."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__("rules.bad", file=file, where=key, problem=problem)

    def message(self, lang: str) -> str:
        """The problem in `lang` (the checks word it in English: lobby_tui/messages/rules.py)."""
        from lobby_tui.domain.privacy import mask_numbers
        from lobby_tui.messages.rules import problem_text

        problem = mask_numbers(problem_text(str(self.params["problem"]), lang))
        where = mask_numbers(str(self.params["where"]))
        if where == "-":  # the file as a whole (not found, not TOML, not UTF-8)
            return tr("rules.bad_file", lang, file=self.params["file"], problem=problem)
        return tr("rules.bad", lang, file=self.params["file"], where=where, problem=problem)
