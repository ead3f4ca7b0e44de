"""The wheel carries the data files and works from another folder, without the source checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_data_and_runs_from_another_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("lobby_tui-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "lobby_tui/data/tiers.toml" in names and "lobby_tui/data/guidance.toml" in names
    assert "lobby_tui/ui/app.tcss" in names
    assert "lobby_tui/templates/report.html.j2" in names and "lobby_tui/templates/report.css" in names
    assert "lobby_tui/web/download.js" in names

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}
    env["PYTHONPATH"] = str(site)  # ahead of the editable checkout on sys.path

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
        )

    where = run("-c", "import lobby_tui, lobby_tui.domain.rules as r; print(lobby_tui.__file__); print(r.data_dir())")
    module_file, data = where.stdout.split()
    assert module_file.startswith(str(site)) and data.startswith(str(site))
    result = run("-m", "lobby_tui", "tier", "--assets", "20万", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tier"] == "mid_end"
    assert run("-m", "lobby_tui", "--version").stdout.startswith("lobby-tui ")
