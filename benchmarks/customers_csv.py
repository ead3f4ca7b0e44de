"""The benchmark's customer CSV: `rows` directory rows, every one a different person.

Each row has its own name, phone and card number, and (nine rows in ten) its own ID number: row i is
born (i mod 21,900) days after 1940-01-01 with sequence number i div 21,900, so numbers repeat only
after 21,900,000 rows (the earlier generator repeated them every 420,000). Amounts come in all the
forms a CRM export has (20万, "1,234,567", 8000000); other banks' assets and education are mixed.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

HEADER = "姓名,手机号,证件号码,卡号,金融资产,他行资产,学历\n"
BIRTH_DAYS = 21_900  # 60 years of birth dates
_BIRTHS = [f"{date(1940, 1, 1) + timedelta(days=n):%Y%m%d}" for n in range(BIRTH_DAYS)]


def write_customers_csv(path: Path, rows: int, seed: int = 7) -> Path:
    from lobby_tui.domain.idnumber import check_character

    if rows > BIRTH_DAYS * 1000:
        raise ValueError(f"at most {BIRTH_DAYS * 1000:,} unique rows")
    rng = random.Random(seed)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for i in range(rows):
            body = f"310115{_BIRTHS[i % BIRTH_DAYS]}{i // BIRTH_DAYS:03d}"
            number = body + check_character(body) if i % 10 else ""
            assets = rng.choice(
                (f"{rng.randint(1, 500)}万", f'"{rng.randint(1000, 5_000_000):,}"', str(rng.randint(0, 10**7)))
            )
            f.write(
                f"客户{i},1{rng.choice('3578')}{i:09d},{number},{f'622202{i:013d}' if i % 2 else ''},"
                f"{assets},{rng.choice(('', '5万'))},{rng.choice(('本科', '大专', '高中', ''))}\n"
            )
    tmp.replace(path)
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    write_customers_csv(Path(sys.argv[1]), int(sys.argv[2]))
