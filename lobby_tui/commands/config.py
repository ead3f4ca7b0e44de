"""`lobby-tui config show [--json]` and `lobby-tui config check`: the branch's settings.

The packaged data/*.toml are the defaults; files of the same name in the config folders override
them (lobby_tui.domain.settings). `show` prints every setting in force and the file it came from;
`check` validates everything as the app would (exit 2, one line naming the file and key, on an error).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lobby_tui.commands.common import UsageError
from lobby_tui.i18n import tr


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("config", parents=[common], help="the branch's settings")
    actions = parser.add_subparsers(dest="config_action", parser_class=type(parser))
    show = actions.add_parser("show", parents=[common], help="print the settings in force and where each came from")
    show.add_argument("--json", action="store_true")
    actions.add_parser("check", parents=[common], help="validate every override; exit 2 on an error")
    parser.set_defaults(run=run)


def _loaders() -> dict[str, Any]:
    from lobby_tui.domain.feedback import load_feedback_rules
    from lobby_tui.domain.patrol import load_patrol_checklist
    from lobby_tui.domain.rules import load_guidance_rules, load_tier_table

    return {
        "tiers.toml": load_tier_table,
        "guidance.toml": load_guidance_rules,
        "patrol.toml": load_patrol_checklist,
        "feedback.toml": load_feedback_rules,
    }


def settings_in_force() -> dict[str, Any]:
    """What `config show --json` prints: the folders, and for each file every key's value and source."""
    from lobby_tui.domain.rules import data_dir
    from lobby_tui.domain.settings import DATA_FILES, config_dirs, layered, leaves

    files = {}
    for name in DATA_FILES:
        result = layered(name, data_dir() / name)
        files[name] = {
            "default": str(result.default),
            "overrides": [str(p) for p in result.overrides],
            "settings": {key: {"value": value, "source": result.source_of(key)} for key, value in leaves(result.doc)},
        }
    folders = [{"kind": kind, "path": str(path), "exists": path.is_dir()} for kind, path in config_dirs()]
    return {"folders": folders, "files": files}


def run(args: argparse.Namespace, lang: str) -> int:
    action = getattr(args, "config_action", None)
    if action == "check":
        return check(lang)
    if action != "show":
        raise UsageError(f"lobby-tui config: {tr('config.action', lang)}")
    shown = settings_in_force()
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=2, default=str))
        return 0
    print(tr("config.folders", lang))
    for folder in shown["folders"]:
        missing = "" if folder["exists"] else tr("config.missing", lang)
        print(tr("config.folder", lang, kind=folder["kind"], path=folder["path"], missing=missing))
    for name, info in shown["files"].items():
        print()
        print(tr("config.file", lang, name=name, default=info["default"]))
        overrides = info["overrides"]
        print(
            tr("config.overrides", lang, files=", ".join(overrides)) if overrides else tr("config.no_overrides", lang)
        )
        for key, setting in info["settings"].items():
            value = json.dumps(setting["value"], ensure_ascii=False, default=str)
            source = setting["source"]
            where = tr("config.default", lang) if source == info["default"] else source
            print(f"  {key} = {value}  [{where}]")
    return 0


def check(lang: str) -> int:
    import lobby_tui.messages.rules  # noqa: F401 - config.not_folder, config.no_folder
    from lobby_tui.domain.errors import RulesError
    from lobby_tui.domain.rules import data_dir
    from lobby_tui.domain.settings import config_dirs, layered

    # $LOBBY_TUI_CONFIG is named on purpose: one that is not a folder would otherwise be passed over
    # in silence, and the branch's overrides in it with it.
    for kind, folder in config_dirs():
        if kind == "env" and not folder.is_dir():
            key = "config.not_folder" if folder.exists() else "config.no_folder"
            print(f"lobby-tui: {tr(key, lang, path=folder)}", file=sys.stderr)
            return 2
    for name, load in _loaders().items():
        try:
            load()
            n = len(layered(name, data_dir() / name).overrides)
        except RulesError as exc:
            print(f"lobby-tui: {exc.message(lang)}", file=sys.stderr)
            return 2
        print(tr("config.ok", lang, name=name, n=n))
    print(tr("config.all_ok", lang))
    return 0
