"""What every command shares: one-line usage errors, the database path, dates, consoles."""

from __future__ import annotations

import argparse
import os
import re
from datetime import date
from pathlib import Path
from typing import Any, NoReturn


class UsageError(Exception):
    """Bad arguments: exit status 2."""


class Parser(argparse.ArgumentParser):
    """One-line errors; --help in the user's language (HELP_LANG), its own -h described there too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=h("help.help"))

    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {argparse_line(message, HELP_LANG[0])}")

    def format_help(self) -> str:
        text = super().format_help()
        if HELP_LANG[0] == "zh":
            for english, chinese in _HELP_HEADINGS:
                text = text.replace(english, chinese)
        return text


# argparse's own error lines (Python's English, from argparse's source) and the message each is
# (lobby_tui/messages/help.py cli.args.*): argparse words them in English whatever the user's language.
_ARGPARSE_LINES = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
        (r"argument (?P<name>[^:]+?): (?P<problem>.*)", "cli.args.argument"),
        (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", "cli.args.choice"),
        (r"the following arguments are required: (?P<names>.*)", "cli.args.required"),
        (r"one of the arguments (?P<names>.*) is required", "cli.args.one_of"),
        (r"unrecognized arguments: (?P<names>.*)", "cli.args.unknown"),
        (r"expected one argument", "cli.args.one_value"),
        (r"expected at least one argument", "cli.args.some_values"),
        (r"expected at most one argument", "cli.args.at_most_one"),
        (r"expected (?P<n>\d+) arguments?", "cli.args.n_values"),
        (r"invalid (?P<type>\S+) value: (?P<value>.*)", "cli.args.bad_value"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "cli.args.ambiguous"),
        (r"not allowed with argument (?P<name>.*)", "cli.args.not_with"),
        (r"ignored explicit argument (?P<value>.*)", "cli.args.no_value"),
        (r"can't open (?P<file>.*?): (?P<detail>.*)", "cli.args.cannot_open"),
    )
)


def argparse_line(message: str, lang: str) -> str:
    """One of argparse's own error lines in `lang` (an unknown one stays as argparse worded it)."""
    if lang != "zh":
        return message
    import lobby_tui.messages.help  # noqa: F401 - cli.args.*
    from lobby_tui.i18n import tr

    for pattern, key in _ARGPARSE_LINES:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        params: dict[str, object] = dict(found.groupdict())
        if "problem" in params:
            params["problem"] = argparse_line(str(params["problem"]), lang)
        for name in ("choices", "names", "matches"):
            if name in params:
                params[name] = str(params[name]).replace(", ", "、")
        if "n" in params:
            params["n"] = int(str(params["n"]))
        return tr(key, lang, **params)
    return message


_HELP_HEADINGS = (
    ("usage: ", "用法："),
    ("\noptions:\n", "\n选项：\n"),
    ("\npositional arguments:\n", "\n命令：\n"),
)


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("lobby_tui", appauthor=False)) / "lobby.db"


def resolve_db(arg: str | None) -> Path:
    return Path(arg or os.environ.get("LOBBY_TUI_DB") or default_db_path()).expanduser()


def parse_date(text: str | None) -> date | None:
    from lobby_tui.domain.errors import InputError

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("date.bad", text=text[:20]) from None


def positive_int(text: str) -> int:
    import lobby_tui.messages.help  # noqa: F401 - cli.not_whole, cli.negative
    from lobby_tui.i18n import tr

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.not_whole", HELP_LANG[0], text=repr(text[:20]))) from None
    if value < 0:
        raise argparse.ArgumentTypeError(tr("cli.negative", HELP_LANG[0], text=repr(text[:20])))
    return value


def int_between(low: int, high: int) -> Any:
    """An argparse type: a whole number from `low` to `high`, refused (exit 2) in the user's language."""

    def check(text: str) -> int:
        import lobby_tui.messages.help  # noqa: F401 - cli.range
        from lobby_tui.i18n import tr

        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                tr("cli.range", HELP_LANG[0], text=text[:20], low=f"{low:,}", high=f"{high:,}")
            )
        return value

    return check


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def stdout_console() -> Any:
    from rich.console import Console

    return Console()


def db_option(parser: argparse.ArgumentParser) -> None:
    """--db and --lang, accepted before or after the command name."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=h("help.db"))
    parser.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=h("help.lang"))


def store_for(args: argparse.Namespace) -> Any:
    from lobby_tui.store import LobbyStore

    return LobbyStore(resolve_db(getattr(args, "db", None)))


def existing_store(args: argparse.Namespace) -> Any:
    """The store of a database that must already exist: a read command (summary, export, lookup,
    audit verify) on a path with no database stops with one line (exit 1) and creates nothing."""
    import lobby_tui.messages.help  # noqa: F401 - db.not_found
    from lobby_tui.store import LobbyStore
    from lobby_tui.store.database import StoreError

    path = resolve_db(getattr(args, "db", None))
    if not path.is_file():
        raise StoreError("db.not_found", path)
    store = LobbyStore(path)
    store.check()
    return store


# The language of --help: set by cli.build_parser before the commands register, so every command's
# help (and each option's) is in the user's language without a change to register()'s signature.
HELP_LANG = ["en"]


def h(key: str) -> str:
    """Help text `key` (lobby_tui/messages/help.py) in the language of --help."""
    import lobby_tui.messages.help  # noqa: F401 - registers the help.* messages
    from lobby_tui.i18n import tr

    return tr(key, HELP_LANG[0]).replace("%", "%%")


def localize_help(parser: argparse.ArgumentParser, command: str = "") -> None:
    """Put the help texts of lobby_tui/messages/help.py, in HELP_LANG, on `parser`, its options and
    its commands (recursively): help.cmd.<command>, help.opt.<command>.<dest>, then help.opt.<dest>."""
    import lobby_tui.messages.help  # noqa: F401 - registers the help.* messages
    from lobby_tui.i18n import MESSAGES

    def text(*keys: str) -> str | None:
        for key in keys:
            if key in MESSAGES:
                return h(key)
        return None

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            described = {a.dest: a for a in action._choices_actions}
            for name, sub in action.choices.items():
                full = f"{command}.{name}" if command else name
                about = text(f"help.cmd.{full}")
                if about is not None:
                    sub.description = about
                    if name in described:
                        described[name].help = about
                localize_help(sub, full)
            found = text(f"help.opt.{command}.{action.dest}", f"help.opt.{action.dest}")
            if found is not None:
                action.help = found
            continue
        if action.help == argparse.SUPPRESS:
            continue
        found = text(f"help.opt.{command}.{action.dest}", f"help.opt.{action.dest}")
        if found is not None:
            action.help = found


# Who may run the commands that reveal or change customer and staff data (issue 14). Other commands
# (summary, tier, guide) are open. A command not listed here may be run by a supervisor only.
COMMAND_ROLES: dict[str, tuple[str, ...]] = {
    "export": ("lobby_manager", "supervisor"),  # a tablet's visits, for another tablet to merge
    "lookup": ("lobby_manager", "supervisor"),
    "import-customers": ("supervisor",),
    "import-appointments": ("lobby_manager", "supervisor"),
    "import-visits": ("lobby_manager", "supervisor"),
    "leads": ("lobby_manager", "supervisor", "account_manager"),
    "ticket": ("lobby_manager", "supervisor", "account_manager"),  # a counter's script signs in as staff
    "backup": ("supervisor",),
    "restore": ("supervisor",),
}


def require_staff(store: Any, lang: str, command: str, roles: tuple[str, ...] | None = None) -> Any:
    """The Session of whoever runs `command`, signed in with their staff id and PIN: from
    $LOBBY_TUI_STAFF and $LOBBY_TUI_PIN (for scripts), else asked for on a terminal. The PIN check
    is the app's (five wrong PINs lock the account) and is audited as `cli_<command>` under the
    staff id, so the log says who ran what. Refused (an InputError: exit status 2) without a
    staff id and PIN, with a wrong one, or for a role not in `roles` (COMMAND_ROLES by default).

    A database with no staff accounts yet has nobody to sign in as: the command runs, audited as
    nobody (None is returned), as the first supervisor is created in the app. One line per command:

        staff = require_staff(store, lang, "backup")

    then pass `staff` as the `by` of the store's work and audit entries (it is the Session a right
    PIN gives, a str: the staff id). `store` is the database whose staff may run the command (for a
    restore, the copy being restored when the live database is the damaged one); it is opened and
    checked here. A new command adds its roles to COMMAND_ROLES."""
    import getpass
    import sys

    from lobby_tui.domain.errors import InputError

    allowed = roles if roles is not None else COMMAND_ROLES.get(command, ("supervisor",))
    store.check()
    if store.staff_count() == 0:
        return None
    staff_id = os.environ.get("LOBBY_TUI_STAFF", "").strip()
    pin = os.environ.get("LOBBY_TUI_PIN", "")
    if not (staff_id and pin) and sys.stdin.isatty() and sys.stderr.isatty():
        from lobby_tui.i18n import tr

        prompts = tr("cli.auth.prompt_staff", lang), tr("cli.auth.prompt_pin", lang)
        try:
            from lobby_tui.commands.prompt import ask_staff_and_pin  # termios: Linux and macOS

            staff_id, pin = ask_staff_and_pin(*prompts, staff_id=staff_id, pin=pin, fd_in=sys.stdin.fileno())
        except ImportError:
            try:
                if not staff_id:
                    print(prompts[0], end="", file=sys.stderr, flush=True)
                    staff_id = sys.stdin.readline().strip()
                if not pin:
                    pin = getpass.getpass(prompts[1], stream=sys.stderr)
            except EOFError:
                pass
    if not (staff_id and pin):
        raise InputError("cli.auth.needed", command=f"lobby-tui {command}")
    staff = store.sign_in(staff_id, pin, action="cli_" + command.replace("-", "_"))
    if staff.role not in allowed:
        from lobby_tui.i18n import list_text, tr

        store.end_session(staff.id)
        names = list_text((tr(f"role.{r}", lang) for r in allowed), lang)
        raise InputError("cli.auth.role", command=f"lobby-tui {command}", roles=names)
    return staff.id
