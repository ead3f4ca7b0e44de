"""Exports that open right in Excel (issue 12): one field list, labels, BOM, local times, formula
neutralising, --format and -o; read commands on a missing database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.cli import main
from lobby_tui.domain.exports import VISIT_FIELDS, headers, neutralise
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore

BEIJING = timezone(timedelta(hours=8))
EVIL = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd")


@pytest.fixture(autouse=True)
def beijing_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local times are the lobby's: the tests run as a branch in China would."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    for key in [k for k in os.environ if k.startswith("LOBBY_TUI_") and k != "LOBBY_TUI_LOG"]:
        monkeypatch.delenv(key)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A day with a high-end customer's visit (notes that look like a formula) and a cancelled one."""
    path = tmp_path / "x.db"
    store = LobbyStore(path, clock=lambda: datetime(2026, 11, 18, 10, 5, tzinfo=BEIJING), device_id="t1")
    result = classify(Decimal(3_000_000))
    visit_id = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id=None, notes=EVIL[0])
    store.confirm_visit(
        visit_id,
        classification=result,
        recommendation=recommend(result.tier, "cash_withdrawal"),
        destination="priority_counter",
        amount=Decimal(80_000),
    )
    store.set_outcome(store.start_visit(reason="other", shift_id=None, staff_id=None, notes="-5 min"), "cancelled")
    store.close()
    return path


def excel_rows(path: Path) -> list[list[str]]:
    """The file as Chinese-locale Excel opens it: a BOM means UTF-8, anything else would be GBK."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would read it as GBK"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def export(db: Path, out: Path, *extra: str) -> int:
    return main(["export", "--db", str(db), "--date", "2026-11-18", "-o", str(out), *extra])


def test_chinese_labels_and_local_times(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.csv"
    assert export(db, out, "--format", "csv", "--labels", "zh") == 0
    head, *rows = excel_rows(out)
    assert head == headers("zh") and head[VISIT_FIELDS.index("tier")] == "客户层级"
    row = dict(zip(head, rows[0], strict=True))
    assert row["客户层级"] == "高端客户"
    assert row["优质客户"] == "是" and row["潜在优质客户"] == "否"
    assert row["到达时间"] == "2026-11-18 10:05"
    assert row["去向"] == row["推荐去向"] == "贵宾柜台" and row["来访事由"] != "cash_withdrawal"
    assert row["结果"] == "等候" and row["金额（元）"] == "80000.00"
    assert len(rows) == 2 and dict(zip(head, rows[1], strict=True))["结果"] == "已取消"


def test_english_labels_default_to_the_users_language(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.csv"
    assert export(db, out, "--format", "csv", "--lang", "en") == 0
    head, *rows = excel_rows(out)
    row = dict(zip(head, rows[0], strict=True))
    assert head[0] == "Visit id" and row["Quality customer"] == "Yes" and row["Outcome"] == "Waiting"
    assert row["Arrived"] == "2026-11-18 10:05"


def test_codes_stay_for_machines(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.csv"
    assert export(db, out, "--format", "csv", "--labels", "codes") == 0
    head, *rows = excel_rows(out)
    assert head == list(VISIT_FIELDS)
    row = dict(zip(head, rows[0], strict=True))
    assert row["quality"] == "True" and row["outcome"] == "waiting" and row["ts"] == "2026-11-18T10:05:00+08:00"
    jsonl = tmp_path / "v.jsonl"
    assert export(db, jsonl, "--format", "jsonl", "--labels", "zh") == 0  # JSON lines: always codes
    first = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == list(VISIT_FIELDS) and first["tier"] == row["tier"] and first["notes"] == EVIL[0]


@pytest.mark.parametrize("text", EVIL)
def test_formula_cells_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert neutralise("张三") == "张三" and neutralise(12) == 12 and neutralise(None) is None


def test_a_formula_in_the_notes_never_reaches_excel_as_one(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.csv"
    assert export(db, out, "--format", "csv", "--labels", "zh") == 0
    head, *rows = excel_rows(out)
    notes = [dict(zip(head, r, strict=True))["备注"] for r in rows]
    assert notes == ["'" + EVIL[0], "'-5 min"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_stdout_is_the_default_and_xlsx_needs_a_file(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TZ": "Asia/Shanghai"}
    done = subprocess.run(
        [sys.executable, "-m", "lobby_tui", "export", "--db", str(db), "--date", "2026-11-18", "--format", "csv"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith(b"\xef\xbb\xbf")
    assert len(done.stdout.decode("utf-8").splitlines()) == 3
    done = subprocess.run(
        [sys.executable, "-m", "lobby_tui", "export", "--db", str(db), "--date", "2026-11-18", "--format", "xlsx"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2 and "-o" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_an_unwritable_output_is_one_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(db, tmp_path / "no" / "such" / "dir" / "v.csv", "--format", "csv") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "v.csv" in err


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--json"],
        ["export", "--date", "2026-11-18", "--format", "csv"],
        ["lookup", "--phone-last4", "5678"],
        ["audit", "verify"],
        ["leads", "--json"],
        ["sync", "--to", "postgresql://hq@127.0.0.1:1/hq"],  # never reaches the server: no file
    ],
)
def test_read_commands_on_a_missing_database_exit_1_and_create_nothing(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = tmp_path / "nowhere" / "lobby.db"
    assert main([*args, "--db", str(where), "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No database" in err[0] and str(where) in err[0]
    assert not (tmp_path / "nowhere").exists()


def test_xlsx_has_typed_cells_a_frozen_header_and_widths_for_chinese(db: Path, tmp_path: Path) -> None:
    import openpyxl

    from lobby_tui.exports import display_width

    out = tmp_path / "week.xlsx"
    assert (
        main(
            [
                "export",
                "--db",
                str(db),
                "--from",
                "2026-11-17",
                "--to",
                "2026-11-18",
                "--format",
                "xlsx",
                "-o",
                str(out),
                "--lang",
                "zh",
            ]
        )
        == 0
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["来访记录", "每日数据"]
    visits, days = book.worksheets
    assert visits.freeze_panes == "A2" and days.freeze_panes == "B2"
    head = [c.value for c in visits[1]]
    assert head[VISIT_FIELDS.index("amount")] == "金额（万元）" and head[VISIT_FIELDS.index("tier")] == "客户层级"
    row = {h: c for h, c in zip(head, visits[2], strict=True)}
    assert row["到达时间"].value == datetime(2026, 11, 18, 10, 5) and row["到达时间"].is_date
    assert row["日期"].is_date and row["结果"].value == "等候" and row["优质客户"].value == "是"
    assert row["金额（万元）"].value == 8 and "万" in row["金额（万元）"].number_format
    assert row["备注"].data_type == "s" and row["备注"].value == "'" + EVIL[0]  # text, never a formula
    assert visits.max_row == 3 and {c.data_type for r in visits.iter_rows() for c in r} <= {"s", "n", "d"}
    for letter, cell in zip("ABCDEFGHIJKLMNOPQRSTU", visits[1], strict=False):
        assert visits.column_dimensions[letter].width >= display_width(str(cell.value)), cell.value
    day_head = [c.value for c in days[1]]
    assert day_head[:3] == ["日期", "来访", "优质客户"] and "高端客户" in day_head
    assert [c.value for c in days["A"][1:]] == [datetime(2026, 11, 17), datetime(2026, 11, 18)]
    assert days["B3"].value == 1 and days["B2"].value == 0  # the cancelled visit does not count
    assert "%" in days.cell(3, 7).number_format


def test_xlsx_in_english(db: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "week.xlsx"
    assert export(db, out, "--format", "xlsx", "--labels", "en") == 0
    visits = openpyxl.load_workbook(out)["Visits"]
    assert visits["A1"].value == "Visit id" and visits.cell(2, VISIT_FIELDS.index("outcome") + 1).value == "Waiting"


def test_the_screens_export_as_one_download(db: Path) -> None:
    """What `lobby-tui serve` delivers to a tablet: one file, or the three CSV files in one zip."""
    import zipfile

    import openpyxl

    from lobby_tui.report import export_download

    store = LobbyStore(db)
    store.add_staff("9001", "陈主管", "supervisor", "135790")
    sv = store.sign_in("9001", "135790").id  # the supervisor's session: exports are theirs
    bundle = store.export_bundle(sv, fmt="csv", start="2026-11-18", end="2026-11-18")
    name, data, mime = export_download(bundle, "csv", "zh")
    assert name == "lobby-2026-11-18_2026-11-18-csv.zip" and mime == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(n.rsplit("-", 1)[1] for n in archive.namelist()) == ["log.csv", "shifts.csv", "visits.csv"]
    visits = next(n for n in archive.namelist() if n.endswith("visits.csv"))
    assert archive.read(visits).startswith(b"\xef\xbb\xbf") and "客户层级" in archive.read(visits).decode("utf-8-sig")
    bundle = store.export_bundle(sv, fmt="xlsx", start="2026-11-18", end="2026-11-18")
    name, data, mime = export_download(bundle, "xlsx", "en")
    assert name.endswith(".xlsx") and mime.endswith("spreadsheetml.sheet")
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Visits", "Day figures"]
    store.close()
