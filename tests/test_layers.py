"""The layers stay apart: the domain needs neither Textual nor SQLite, the store needs no Textual,
and the screens hold no SQL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lobby_tui

PACKAGE = Path(lobby_tui.__file__).parent
DOMAIN_MODULES = sorted(f"lobby_tui.domain.{p.stem}" for p in (PACKAGE / "domain").glob("*.py") if p.stem != "__init__")


def _modules_after_import(*modules: str) -> set[str]:
    """sys.modules in a fresh interpreter after importing `modules` (and nothing else)."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def _top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_there_are_domain_modules() -> None:
    assert {"lobby_tui.domain.tiers", "lobby_tui.domain.guidance", "lobby_tui.domain.amounts"} <= set(DOMAIN_MODULES)


def test_domain_imports_neither_textual_nor_sqlite() -> None:
    loaded = _modules_after_import(*DOMAIN_MODULES)
    assert set(DOMAIN_MODULES) <= loaded
    tops = _top_level(loaded)
    for forbidden in ("textual", "sqlite3", "_sqlite3", "sqlite_utils"):
        assert forbidden not in tops, f"importing the domain loads {forbidden}"


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_each_domain_module_alone(module: str) -> None:
    tops = _top_level(_modules_after_import(module))
    assert not {"textual", "sqlite3", "_sqlite3", "sqlite_utils"} & tops


def test_store_imports_no_textual() -> None:
    loaded = _modules_after_import("lobby_tui.store", *DOMAIN_MODULES)
    assert "lobby_tui.store" in loaded
    assert "textual" not in _top_level(loaded)


HQ_MODULES = sorted(f"lobby_tui.hq.{p.stem}" for p in (PACKAGE / "hq").glob("*.py") if p.stem != "__init__")


def test_head_office_imports_no_textual() -> None:
    """lobby_tui.hq (sync, hq init/verify/summary) runs on servers without a terminal: no Textual."""
    loaded = _modules_after_import(*HQ_MODULES, "lobby_tui.commands.sync", "lobby_tui.commands.hq")
    assert {"lobby_tui.hq.sync", "lobby_tui.hq.figures"} <= loaded
    assert "textual" not in _top_level(loaded)


def _ui_files() -> list[Path]:
    ui = PACKAGE / "ui"
    return sorted(ui.rglob("*.py")) if ui.is_dir() else []


SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE|PRAGMA)\s")


def test_screens_hold_no_sql() -> None:
    files = _ui_files()
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(PACKAGE)}:{number}"
            if re.search(r"^\s*(import\s+sqlite3|from\s+sqlite3\s+import)", line):
                problems.append(f"{where}: imports sqlite3")
            if "sqlite_utils" in line:
                problems.append(f"{where}: uses sqlite_utils")
            if SQL.search(line):
                problems.append(f"{where}: SQL: {line.strip()[:60]}")
    assert problems == []  # passes trivially while lobby_tui/ui has no .py files


def test_the_sql_check_would_catch_sql() -> None:
    # The static check above is only worth something if its pattern matches real SQL.
    assert SQL.search('rows = conn.execute("SELECT * FROM visits WHERE day = ?")')
    assert SQL.search("DELETE FROM audit WHERE seq = 3")
    assert not SQL.search("Select a reason, then press Enter")


MARKUP_WIDGETS = re.compile(r"\b(Static|Label|Button|OptionList|DataTable|Option|Select)\b")


def test_screens_show_text_with_the_widgets_that_never_read_markup() -> None:
    """Text from people and files is never markup (issue 14): the screens take Static, Label, Button,
    OptionList, Option, Select and DataTable from lobby_tui/ui/widgets/plain.py and plain_lists.py, never from Textual directly,
    and no widget or toast in lobby_tui/ui turns markup on, but the palette's own key hint."""
    found = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        if path.name in ("plain.py", "plain_lists.py"):
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^from textual\.widgets(?:\.option_list)? import (\([^)]*\)|[^\n]*)", text, re.M):
            if MARKUP_WIDGETS.search(m.group(1)):
                found.append(f"{path.name}: {m.group(0)}")
        found += [
            f"{path.name}: markup=True"
            for line in text.splitlines()
            if "markup=True" in line and "key in bold" not in line
        ]
    assert not found


def test_screens_use_the_footer_that_styles_its_keys_once() -> None:
    """Every screen's Footer is lobby_tui.ui.widgets.footer.Footer: Textual's own restyles each of its
    keys twice whenever the bindings change (a fifth of the CPU of a step between screens)."""
    found = [
        f"{path.name}: {m.group(0)}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        if path.name != "footer.py"
        for m in re.finditer(
            r"^from textual\.widgets import (\([^)]*\)|[^\n]*)", path.read_text(encoding="utf-8"), re.M
        )
        if re.search(r"\bFooter\b", m.group(1))
    ]
    assert not found


def test_starting_the_app_loads_neither_the_commands_nor_the_store() -> None:
    """`lobby-tui` with no command parses its options and builds the app without importing any
    command or the store: those come once the sign-in screen is painted (issue 15; one command's
    top-level import of the store had put 40 % on the time to the first screen)."""
    code = (
        "import json, sys\n"
        "from lobby_tui.cli import parse\n"
        "args = parse(['--db', 'x.db', '--lang', 'zh'], 'zh')\n"
        "assert args.command is None and args.db == 'x.db' and args.lang == 'zh', args\n"
        "from lobby_tui.ui.app import LobbyApp\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    assert "lobby_tui.ui.app" in loaded
    commands = {m for m in loaded if m.startswith("lobby_tui.commands.")} - {"lobby_tui.commands.common"}
    assert commands == set()
    assert not {m for m in loaded if m.startswith("lobby_tui.store")}
    assert not {"sqlite3", "sqlite_utils"} & loaded


def test_a_command_still_gets_the_full_parser() -> None:
    from lobby_tui.cli import parse

    args = parse(["--lang", "en", "tier", "--assets", "300000"], "en")
    assert args.command == "tier"


def test_the_commands_import_only_what_their_parsers_need() -> None:
    """Building the full parser (any command, --help) imports every command module, so they keep
    their heavy imports inside run(): no store, SQLite, Textual or Rich at the top of one."""
    loaded = _modules_after_import("lobby_tui.cli")
    assert "lobby_tui.commands.audit" not in loaded  # the check below is only worth it after build_parser
    code = "import json, sys\nfrom lobby_tui.cli import build_parser\nbuild_parser()\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    assert "lobby_tui.commands.audit" in loaded
    heavy = {m for m in loaded if m.startswith(("lobby_tui.store", "lobby_tui.ui", "lobby_tui.hq"))}
    assert heavy == set()
    assert not {"sqlite3", "textual", "rich", "psycopg"} & _top_level(loaded)
