"""The command-line contract, end to end in subprocesses on temporary databases."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import full_numbers

from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore

BEIJING = timezone(timedelta(hours=8))


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120
    )
    assert not full_numbers(done.stdout + done.stderr), done  # every message masks phone, ID and card numbers
    return done


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("lobby-tui ")


@pytest.mark.parametrize(
    ("args", "tier", "with_other", "quality", "potential"),
    [
        (["--assets", "1000万"], "private_banking", "private_banking", True, False),
        (["--assets", "9,999,999.99"], "high_end", "high_end", True, False),
        (["--assets", "20万"], "mid_end", "mid_end", True, False),
        (["--assets", "199999.99"], "mass_affluent", "mass_affluent", False, False),
        (["--assets", "15万", "--other-assets", "5万"], "mass_affluent", "mid_end", False, True),
        (["--assets", "1万", "--age", "22", "--education", "本科"], "potential", "potential", False, False),
        (["--assets", "1万", "--age", "35", "--education", "master"], "ordinary", "ordinary", False, False),
    ],
)
def test_tier_json(args, tier, with_other, quality, potential):
    result = run("tier", *args, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["tier"], data["tier_with_other_assets"], data["quality"], data["potential_quality"]) == (
        tier,
        with_other,
        quality,
        potential,
    )
    assert set(data["labels"]) == {"zh", "en"}
    assert {"brand", "outlets", "e_channels", "cards", "investment", "loans", "added_services"} <= set(
        data["entitlements"]
    )


def test_tier_age_from_id_number_on_a_given_day():
    data = json.loads(
        run("tier", "--assets", "3万", "--id-number", "11010519491231002X", "--on", "2026-11-18", "--json").stdout
    )
    assert data["age"] == 76 and data["tier"] == "ordinary"
    assert "age" not in json.loads(run("tier", "--assets", "3万", "--json").stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["tier", "--assets", "-5"],
        ["tier", "--assets", "abc"],
        ["tier", "--assets", "nan"],
        ["tier", "--assets", "1", "--id-number", "110105194912310021"],
        ["tier", "--assets", "1", "--education", "kindergarten"],
        ["tier", "--assets", "1", "--age", "22", "--id-number", "11010519491231002X"],
        ["tier"],
        ["guide", "--tier", "gold", "--reason", "transfer"],
        ["guide", "--tier", "ordinary", "--reason", "teleport"],
        ["summary", "--date", "yesterday"],
        ["export", "--format", "xml", "--date", "2026-11-18"],
        ["export", "--format", "csv"],
        ["nonsense"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, tmp_path):
    result = run(*args, "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_messages_follow_the_language():
    result = run("tier", "--assets", "-5", "--lang", "zh")
    assert "金额不能为负数" in result.stderr
    assert "cannot be negative" in run("tier", "--assets", "-5", env={"LOBBY_TUI_LANG": "en"}).stderr


def test_guide_json():
    data = json.loads(run("guide", "--tier", "high_end", "--reason", "cash_withdrawal", "--json").stdout)
    assert data["destination"] == "priority_counter" and data["refer_to"] == "wealth_management_centre"
    assert data["why"]["zh"] and data["why"]["en"]
    data = json.loads(
        run("guide", "--tier", "ordinary", "--reason", "cash_withdrawal", "--amount", "6万", "--json").stdout
    )
    assert data["destination"] == "cash_counter" and data["refer_to"] is None
    data = json.loads(
        run("guide", "--tier", "mass_affluent", "--reason", "loans", "--potential-quality", "--json").stdout
    )
    assert data["destination"] == "account_manager"


def test_guide_follows_the_business_and_the_tier_with_other_assets():
    def guide(*args: str) -> dict:
        result = run("guide", *args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    data = guide("--tier", "mass_affluent", "--reason", "wealth_products")
    assert data["destination"] == "account_manager" and data["lead"] is False
    data = guide("--tier", "mass_affluent", "--reason", "cash_withdrawal", "--tier-with-other-assets", "high_end")
    assert data["lead"] is True and data["refer_to"] == "wealth_management_centre"
    assert data["destination"] == "priority_counter"
    data = guide("--tier", "high_end", "--reason", "complaint")
    assert data["destination"] == "duty_manager" and data["lead"] is True
    data = guide("--tier", "ordinary", "--reason", "cash_withdrawal", "--amount", "5万")
    assert data["destination"] == "cash_counter" and "50,000" in data["why"]["en"] and "预约" in data["why"]["zh"]
    assert set(data) == {"destination", "refer_to", "why", "alternatives", "lead"}
    bad = run("guide", "--tier", "ordinary", "--reason", "transfer", "--tier-with-other-assets", "gold", "--lang", "en")
    assert bad.returncode == 2 and "Unknown tier: gold" in bad.stderr and "Traceback" not in bad.stderr


def test_an_id_number_over_130_years_old_is_refused_like_age_136():
    body = "11010518950101123"
    from lobby_tui.domain.idnumber import check_character

    old = body + check_character(body)
    for args in (["--age", "136"], ["--id-number", old]):
        result = run("tier", "--assets", "1万", *args, "--on", "2026-11-18", "--lang", "en")
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "130" in result.stderr


def _day_with_visits(path: Path) -> None:
    """A hand-built day: 2026-11-18, five visits, one cancelled, plus one the next day."""

    def clock_at(h: int, m: int) -> LobbyStore:
        return LobbyStore(path, clock=lambda: datetime(2026, 11, 18, h, m, tzinfo=BEIJING), device_id="t1")

    plan = [
        (9, 5, Decimal("500000"), "cash_withdrawal", None),
        (10, 15, Decimal("20000"), "transfer", None),
        (10, 40, Decimal("150000"), "wealth_products", Decimal("80000")),
        (14, 0, Decimal("3000000"), "account_opening", None),
        (14, 30, Decimal("1000"), "bill_payment", None),
    ]
    for h, m, assets, reason, other in plan:
        store = clock_at(h, m)
        result = classify(assets, other or Decimal(0))
        rec = recommend(result.tier, reason, potential_quality=result.potential_quality)
        visit_id = store.start_visit(reason=reason, shift_id=None, staff_id=None)
        store.confirm_visit(visit_id, classification=result, recommendation=rec, destination=rec.destination)
        store.close()
    store = clock_at(15, 0)
    store.set_outcome(store.start_visit(reason="other", shift_id=None, staff_id=None), "cancelled")
    store.close()
    nxt = LobbyStore(path, clock=lambda: datetime(2026, 11, 19, 9, 0, tzinfo=BEIJING), device_id="t1")
    nxt.start_visit(reason="other", shift_id=None, staff_id=None)
    nxt.close()


def test_summary_and_export_agree_on_a_hand_built_day(tmp_path):
    db = tmp_path / "day.db"
    _day_with_visits(db)
    summary = json.loads(run("summary", "--db", str(db), "--date", "2026-11-18", "--json").stdout)
    assert summary["date"] == "2026-11-18"
    assert summary["visits"] == 5
    assert summary["by_tier"]["high_end"] == 1 and summary["by_tier"]["mid_end"] == 1
    assert summary["by_destination"]["e_banking"] == 1 and summary["by_destination"]["self_service"] == 1
    assert summary["diversion_rate"] == 0.4
    assert summary["quality_customers"] == 2 and summary["potential_quality"] == 1 and summary["referrals"] == 1
    assert summary["by_hour"]["10"] == 2 and summary["by_hour"]["14"] == 2
    for key in ("by_reason", "by_destination", "by_tier", "by_hour"):
        assert sum(summary[key].values()) == 5

    jsonl = run("export", "--db", str(db), "--date", "2026-11-18", "--format", "jsonl")
    assert jsonl.returncode == 0
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    counted = [r for r in rows if r["outcome"] != "cancelled"]
    assert len(counted) == summary["visits"]
    for field in (
        "id",
        "device_id",
        "ts",
        "shift_id",
        "tier",
        "potential_quality",
        "reason",
        "destination",
        "recommended_destination",
        "override_reason",
        "outcome",
    ):
        assert field in rows[0]
    csv_out = run(
        "export", "--db", str(db), "--from", "2026-11-18", "--to", "2026-11-19", "--format", "csv", "--labels", "codes"
    )
    assert csv_out.stdout.startswith("\ufeff")  # the byte-order mark Excel needs
    csv_rows = list(csv.DictReader(io.StringIO(csv_out.stdout.removeprefix("\ufeff"))))
    assert len(csv_rows) == len(rows) + 1
    assert {r["id"] for r in rows} <= {r["id"] for r in csv_rows}
    table = run("summary", "--db", str(db), "--date", "2026-11-18", "--lang", "en")
    assert table.returncode == 0 and "Diversion rate" in table.stdout and "40.0%" in table.stdout


def test_export_never_contains_a_full_phone_or_id_number(tmp_path):
    db = tmp_path / "p.db"
    store = LobbyStore(db, clock=lambda: datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING))
    c = store.add_customer(name="张三", phone="13812345678", id_number="11010519491231002X", assets=Decimal(300000))
    result = classify(c.assets)
    visit_id = store.start_visit(reason="transfer", shift_id=None, staff_id=None, notes="VIP")
    store.confirm_visit(
        visit_id,
        classification=result,
        recommendation=recommend(result.tier, "transfer"),
        destination="priority_counter",
        customer_id=c.id,
    )
    store.close()
    out = run("export", "--db", str(db), "--date", "2026-11-18", "--format", "jsonl").stdout
    assert "13812345678" not in out and "11010519491231002X" not in out and "张三" not in out


def test_database_problems_exit_1_with_one_line(tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database\n" * 50)
    before = text_file.read_bytes()
    result = run("summary", "--db", str(text_file), "--json")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert text_file.read_bytes() == before


def test_db_from_environment_variable(tmp_path):
    db = tmp_path / "env.db"
    LobbyStore(db).check()
    result = run("summary", "--date", "2026-01-01", "--json", env={"LOBBY_TUI_DB": str(db)})
    assert result.returncode == 0 and json.loads(result.stdout)["visits"] == 0
