"""A branch's settings: the packaged data/*.toml, overlaid by the files of the same name in the config
folders, in order (each later one wins):

1. the site config folder (platformdirs.site_config_dir("lobby-tui"), e.g. /etc/xdg/lobby-tui),
2. the user's config folder (platformdirs.user_config_dir("lobby-tui"), e.g. ~/.config/lobby-tui),
3. $LOBBY_TUI_CONFIG, when set.

An override file holds only what it changes. Tables merge key by key; a list of tables whose entries
have a `code` (tiers, reasons, patrol rounds …) merges entry by entry on that code, so
`[[tier]] code = "high_end"  min_assets = "800000"` changes one threshold; any other list, and any
value, is replaced. A key or code the packaged file does not have is refused, naming the override's
file and the key, and the result is then checked exactly as the defaults are (lobby_tui.domain.rules),
a problem named by the file that set the key. The packaged files are never changed: an upgrade brings
new defaults and the branch's overrides stay where they are.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lobby_tui.domain.errors import RulesError

APP = "lobby-tui"
DATA_FILES = ("tiers.toml", "guidance.toml", "patrol.toml", "feedback.toml")


def config_dirs() -> list[tuple[str, Path]]:
    """(kind, folder) in the order they apply: site, user, then $LOBBY_TUI_CONFIG."""
    if sys.platform.startswith("linux"):
        # platformdirs' answer on Linux (the XDG base directories), without importing it before the
        # first screen is painted (it takes tens of milliseconds; benchmarks: start_ratio).
        site = (os.environ.get("XDG_CONFIG_DIRS", "").strip() or "/etc/xdg").split(os.pathsep)[0]
        user = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        dirs = [("site", Path(site) / APP), ("user", Path(user) / APP)]
    else:
        import platformdirs

        dirs = [
            ("site", Path(platformdirs.site_config_dir(APP, appauthor=False))),
            ("user", Path(platformdirs.user_config_dir(APP, appauthor=False))),
        ]
    explicit = os.environ.get("LOBBY_TUI_CONFIG")
    if explicit:
        dirs.append(("env", Path(explicit).expanduser()))
    return dirs


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise RulesError(str(path), "-", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(str(path), "-", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise RulesError(str(path), "-", "not UTF-8 text; save the file as UTF-8") from None
    except OSError as exc:
        raise RulesError(str(path), "-", exc.strerror or str(exc)) from None


@dataclass
class Layered:
    """One data file with its overrides applied: the document, and for each key path (as the checks
    name them: settings.long_queue, tier.high_end.min_assets, greeting[0].text) the file that set it."""

    name: str
    default: Path
    doc: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    overrides: list[Path] = field(default_factory=list)

    def source_of(self, key: str) -> str:
        """The file that set `key` (or the nearest table above it that an override replaced)."""
        probe = key
        while probe:
            if probe in self.sources:
                return self.sources[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return str(self.default)


def _coded(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and isinstance(i.get("code"), str) for i in items)


def _mark(sources: dict[str, str], value: Any, where: str, file: str) -> None:
    """Record `file` as the source of `where` and of everything under it."""
    sources[where] = file
    if isinstance(value, dict):
        for k, v in value.items():
            _mark(sources, v, f"{where}.{k}", file)
    elif isinstance(value, list) and _coded(value):
        for i, item in enumerate(value):
            _mark(sources, item, f"{where}.{item['code']}", file)
            _mark(sources, item, f"{where}[{i}]", file)


def _merge(base: dict[str, Any], over: dict[str, Any], where: str, file: str, sources: dict[str, str]) -> None:
    for key, value in over.items():
        path = f"{where}.{key}" if where else key
        if key not in base:
            raise RulesError(file, path, "unknown key: the packaged file has no such key (a typing slip?)")
        old = base[key]
        if isinstance(old, dict) and isinstance(value, dict):
            _merge(old, value, path, file, sources)
        elif isinstance(old, list) and isinstance(value, list) and _coded(old) and _coded(value):
            by_code = {item["code"]: (i, item) for i, item in enumerate(old)}
            for entry in value:
                if entry["code"] not in by_code:
                    raise RulesError(file, f"{path}.{entry['code']}", "unknown code: the packaged file has none such")
                i, target = by_code[entry["code"]]
                _merge(
                    target, {k: v for k, v in entry.items() if k != "code"}, f"{path}.{entry['code']}", file, sources
                )
                for k in entry:
                    if k != "code":
                        _mark(sources, target[k], f"{path}[{i}].{k}", file)
        else:
            base[key] = value
            _mark(sources, value, path, file)


def layered(name: str, default: Path) -> Layered:
    """`default` (a packaged data file) with the config folders' files called `name` laid over it."""
    result = Layered(name, default, read_toml(default))
    for _kind, folder in config_dirs():
        path = folder / name
        if path.is_file():
            _merge(result.doc, read_toml(path), "", str(path), result.sources)
            result.overrides.append(path)
    return result


def leaves(doc: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every value of `doc` with its key path (lists of coded tables by code), for `config show`."""
    out: list[tuple[str, Any]] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += leaves(value, f"{where}.{key}" if where else key)
    elif isinstance(doc, list) and _coded(doc):
        for item in doc:
            out += leaves({k: v for k, v in item.items() if k != "code"}, f"{where}.{item['code']}")
    elif isinstance(doc, list) and doc and all(isinstance(i, dict) for i in doc):
        for i, item in enumerate(doc):
            out += leaves(item, f"{where}[{i}]")
    else:
        out.append((where, doc))
    return out
