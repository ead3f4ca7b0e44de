"""The command line. Names, options and JSON keys here are a contract (see the README).

Exit status: 0 done; 1 a database that cannot be used (or, for imports, some rows refused);
2 bad arguments or input. Always one clear line on stderr, never a traceback.
Each command lives in lobby_tui/commands/; this module parses and catches.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from lobby_tui import __version__
from lobby_tui.commands import COMMAND_MODULES
from lobby_tui.commands.common import HELP_LANG, Parser, UsageError, db_option, h, localize_help
from lobby_tui.i18n import detect_lang, tr


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The parser, its --help in `lang` (lobby_tui/messages/help.py)."""
    HELP_LANG[0] = lang
    common = Parser(add_help=False)
    db_option(common)
    parser = Parser(prog="lobby-tui", parents=[common], description=h("help.app"))
    parser.add_argument("--version", action="version", version=f"lobby-tui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"lobby_tui.commands.{name}").register(sub, common)
    localize_help(parser)
    return parser


def app_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The parser of `lobby-tui [--db PATH] [--lang zh|en]`, the app with no command. Starting the
    app needs none of the commands: importing and building all their parsers cost about a third of
    the time to the first screen (issue 15)."""
    HELP_LANG[0] = lang
    parser = Parser(prog="lobby-tui", add_help=False)
    db_option(parser)
    parser.add_argument("--version", action="version", version=f"lobby-tui {__version__}")
    return parser


def parse(argv: list[str], lang: str) -> argparse.Namespace:
    """The app's own short parser first; anything it does not know (a command, --help, a mistake)
    goes to the full parser, which words every error and help text as before."""
    if not any(arg in ("-h", "--help") for arg in argv):
        try:
            args = app_parser(lang).parse_args(argv)
        except UsageError:
            pass
        else:
            args.command = None
            return args
    return build_parser(lang).parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_lang(_peek_lang(argv))
    from lobby_tui.domain.errors import InputError

    try:
        args = parse(argv, lang)
        lang = detect_lang(getattr(args, "lang", None))
        if args.command is None:
            from lobby_tui.commands import app

            return app.run(args, lang)
        return args.run(args, lang)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except InputError as exc:
        from lobby_tui.log import log_event
        from lobby_tui.store.database import StoreError

        log_event("cli.refused", command=_command(argv), key=exc.key)  # the key, never what was typed
        print(f"lobby-tui: {exc.message(lang)}", file=sys.stderr)
        return 1 if isinstance(exc, StoreError) else 2
    except KeyboardInterrupt:
        print(f"lobby-tui: {tr('cli.interrupted', lang)}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `lobby-tui export … | head`: the reader has gone, which is no error
        _drop_stdout()
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback (that is in the log)
        from lobby_tui.log import log_error

        log_error(exc, f"unexpected error in lobby-tui {_command(argv)}")
        print(f"lobby-tui: {tr('cli.unexpected', lang, detail=f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1


def _drop_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush of what is still buffered
    for the closed pipe does not print 'Exception ignored … BrokenPipeError' on the way out."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _peek_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _command(argv: list[str]) -> str:
    """The command's name, for the log (never its arguments: they may hold a phone or ID number)."""
    from lobby_tui.commands import COMMAND_MODULES

    names = {name.replace("_", "-") for name in COMMAND_MODULES}
    return next((arg for arg in argv if arg in names), "app")
