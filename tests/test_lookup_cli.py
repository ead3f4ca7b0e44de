"""`lobby-tui lookup`: every key, the tier with age from the ID number, and masking in every output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CLI_MANAGER, CLI_SUPERVISOR, cli_env, full_numbers

from lobby_tui.domain.idnumber import check_character
from lobby_tui.store import LobbyStore


def subprocess_run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")} | cli_env(CLI_MANAGER)
    return subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args], capture_output=True, text=True, env=env, timeout=60
    )


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """lobby_tui.cli.main in this process (quicker than a subprocess; test_the_real_command runs one)."""
    from lobby_tui.cli import main

    for var in [v for v in os.environ if v.startswith("LOBBY_TUI_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("COLUMNS", "120")
    for name, value in cli_env(CLI_MANAGER).items():  # the lobby manager signs in (issue 14)
        monkeypatch.setenv(name, value)

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        assert not full_numbers(out + err), (out, err)  # every message masks phone, ID and card numbers
        return subprocess.CompletedProcess(list(args), code, out, err)

    return call


def id_for_age(age: int, seq: str) -> str:
    today = date.today()
    body = f"310115{today.year - age:04d}0101{seq}"  # born 1 January: exactly `age` from 1 January on
    return body + check_character(body)


YOUNG_ID = id_for_age(22, "164")
OLD_ID = id_for_age(40, "282")
CARD = "6222020000000000011"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lookup") / "lobby.db"
    store = LobbyStore(path)
    store.add_staff(CLI_MANAGER[0], "王丽", "lobby_manager", CLI_MANAGER[1])
    store.add_staff(CLI_SUPERVISOR[0], "陈主管", "supervisor", CLI_SUPERVISOR[1])
    store.add_customer(name="欧阳明远", phone="13900000001", card=CARD, assets=Decimal(12_000_000), education="master")
    store.add_customer(
        name="刘思琪", phone="13900000005", id_number=YOUNG_ID, assets=Decimal(10_000), education="bachelor"
    )
    store.add_customer(
        name="刘建军", phone="13800005678", id_number=OLD_ID, assets=Decimal(10_000), education="bachelor"
    )
    store.add_customer(name="王磊", phone="13700005678", assets=Decimal(120_000), other_assets=Decimal(150_000))
    store.add_customer(name="John Smith", phone="13600000009", assets=Decimal(500))
    store.close()
    return path


def lookup(run: Run, db: Path, *args: str) -> list[dict]:
    result = run("lookup", "--db", str(db), *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "names", "tiers"),
    [
        (["--phone", "13900000001"], ["欧**远"], ["private_banking"]),
        (["--phone", "+86 139-0000-0001"], ["欧**远"], ["private_banking"]),
        (["--phone-last4", "5678"], ["刘*军", "王*"], ["ordinary", "mass_affluent"]),
        (["--id-number", YOUNG_ID], ["刘*琪"], ["potential"]),
        (["--id-number", YOUNG_ID.lower()], ["刘*琪"], ["potential"]),
        (["--card", CARD], ["欧**远"], ["private_banking"]),
        (["--card", "6222 0200 0000 0000 011"], ["欧**远"], ["private_banking"]),
        (["--name", "刘"], ["刘*军", "刘*琪"], ["ordinary", "potential"]),
        (["--name", "John"], ["J*** S****"], ["ordinary"]),
        (["--phone", "13900000099"], [], []),
    ],
)
def test_each_key_finds_masked_matches_with_their_tier(
    run: Run, db: Path, args: list[str], names: list[str], tiers: list[str]
) -> None:
    matches = lookup(run, db, *args)
    assert sorted((m["name"], m["tier"]) for m in matches) == sorted(zip(names, tiers, strict=True))


def test_json_keys_and_age_from_the_id_number(run: Run, db: Path) -> None:
    (young,) = lookup(run, db, "--phone", "13900000005")
    assert set(young) == {
        "id",
        "name",
        "phone",
        "id_last4",
        "card_last4",
        "age",
        "education",
        "tier",
        "tier_with_other_assets",
        "quality",
        "potential_quality",
        "missing",
    }
    assert young["age"] == 22 and young["education"] == "bachelor" and young["tier"] == "potential"
    assert young["phone"] == "139****0005" and young["id_last4"] == YOUNG_ID[-4:]
    (older,) = lookup(run, db, "--id-number", OLD_ID)
    assert older["age"] == 40 and older["tier"] == "ordinary" and older["missing"] == []
    (wang,) = lookup(run, db, "--phone", "13700005678")
    assert wang["tier"] == "mass_affluent" and wang["potential_quality"] is True and wang["age"] is None


def test_never_a_full_phone_id_number_or_name(run: Run, db: Path) -> None:
    outputs = []
    for args in (["--phone-last4", "5678"], ["--name", "刘"], ["--card", CARD], ["--phone", "13900000005"]):
        for fmt in (["--json"], [], ["--lang", "zh"]):
            result = run("lookup", "--db", str(db), *args, *fmt)
            assert result.returncode == 0, result.stderr
            outputs.append(result.stdout)
    text = "\n".join(outputs)
    for secret in (
        "13800005678",
        "13700005678",
        "13900000005",
        YOUNG_ID,
        OLD_ID,
        CARD,
        "刘思琪",
        "刘建军",
        "欧阳明远",
        "王磊",
        "John Smith",
    ):
        assert secret not in text
    assert "139****0005" in text and "刘*琪" in text


def test_the_real_command(db: Path) -> None:
    result = subprocess_run("lookup", "--db", str(db), "--phone", "13900000005", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)[0]["name"] == "刘*琪"
    result = subprocess_run("lookup", "--db", str(db), "--phone", "139")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1


def test_table_and_no_match_in_both_languages(run: Run, db: Path) -> None:
    result = run("lookup", "--db", str(db), "--phone-last4", "5678", "--lang", "zh")
    assert result.returncode == 0 and "客户层级" in result.stdout and "大众富裕客户" in result.stdout
    result = run("lookup", "--db", str(db), "--phone", "13900000099", "--lang", "en")
    assert result.returncode == 0 and "No customer found" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--phone", "13900000001", "--name", "刘"],
        ["--phone", "12345"],
        ["--phone-last4", "567"],
        ["--id-number", "110105194912310021"],
        ["--card", "12"],
        ["--name", "   "],
    ],
)
def test_bad_lookups_exit_2_with_one_line(run: Run, db: Path, args: list[str]) -> None:
    result = run("lookup", "--db", str(db), *args, "--json")
    assert result.returncode == 2, result
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("typed", ["1390000000", "139000000012", "139-0000-00012", "1390000000123456"])
def test_a_mistyped_number_is_not_echoed(run: Run, db: Path, typed: str) -> None:
    """A phone one digit short or long, or a card number in the phone box: the message masks it."""
    result = run("lookup", "--db", str(db), "--phone", typed, "--json")
    assert result.returncode == 2 and "11" in result.stderr
    assert typed not in result.stderr and typed.replace("-", "")[:8] not in result.stderr.replace("-", "")


# ---------------------------------------------------------------- who may look customers up (issue 14)


def test_a_lookup_needs_a_staff_id_and_pin_and_is_audited_under_them(
    run: Run, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = len(LobbyStore(db).audit_entries(10_000))
    monkeypatch.delenv("LOBBY_TUI_PIN")
    refused = run("lookup", "--db", str(db), "--phone-last4", "0001", "--json")
    assert refused.returncode == 2 and refused.stdout == "" and "LOBBY_TUI_PIN" in refused.stderr
    monkeypatch.setenv("LOBBY_TUI_PIN", "999999")
    wrong = run("lookup", "--db", str(db), "--phone-last4", "0001", "--json")
    assert wrong.returncode == 2 and wrong.stdout == "" and "Wrong PIN" in wrong.stderr
    monkeypatch.setenv("LOBBY_TUI_PIN", CLI_MANAGER[1])
    assert len(lookup(run, db, "--phone-last4", "0001")) == 1
    entries = LobbyStore(db).audit_entries(10_000)
    # oldest first; a wrong PIN's place in the count is a chained row change of its own ("rows")
    new = [e for e in reversed(entries[: len(entries) - before]) if e["action"] != "rows"]
    assert [(e["action"], e["staff_id"]) for e in new] == [
        ("signin_failed", "1001"),
        ("cli_lookup", "1001"),
        ("lookup", "1001"),
    ]
    assert "0001" not in " ".join(e["detail"] for e in new)  # what was looked up is not in the log


def test_a_lobby_manager_may_not_import_the_directory(run: Run, db: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("姓名,手机号,金融资产\n张三,13912345678,5万\n", encoding="utf-8")
    refused = run("import-customers", "--db", str(db), str(csv_path))
    assert refused.returncode == 2 and "Supervisor" in refused.stderr and "张三" not in refused.stderr
    assert LobbyStore(db).lookup(phone="13912345678") == []


def test_summary_tier_and_guide_stay_open(run: Run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in cli_env():
        monkeypatch.delenv(name)
    assert run("summary", "--db", str(db), "--json").returncode == 0
    assert run("tier", "--assets", "300000", "--json").returncode == 0
    assert run("guide", "--tier", "mid_end", "--reason", "transfer", "--json").returncode == 0
