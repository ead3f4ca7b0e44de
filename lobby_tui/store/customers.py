"""The customer directory: numbers kept only as keyed hashes and display forms; lookups by index."""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal
from typing import Any

from lobby_tui.domain.amounts import from_fen, to_fen
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import parse_id_number
from lobby_tui.domain.models import Customer
from lobby_tui.domain.privacy import (
    mask_phone,
    normalize_card,
    normalize_last4,
    normalize_name,
    normalize_phone,
)
from lobby_tui.store.base import StoreBase

LOOKUP_LIMIT = 20


class CustomersMixin(StoreBase):
    # ------------------------------------------------------------ customers

    def _customer(self, r: sqlite3.Row) -> Customer:
        return Customer(
            id=r["id"],
            name=r["name"],
            phone_masked=r["phone_masked"] or "",
            id_last4=r["id_last4"],
            card_last4=r["card_last4"],
            birth_date=r["birth_date"],
            education=r["education"],
            assets=from_fen(r["assets_fen"]),
            other_assets=from_fen(r["other_assets_fen"] or 0),
        )

    def customer_row(
        self,
        *,
        name: str,
        phone: str | None = None,
        id_number: str | None = None,
        card: str | None = None,
        assets: Decimal,
        other_assets: Decimal = Decimal(0),
        education: str | None = None,
    ) -> dict[str, Any]:
        """A directory row ready to insert: numbers become keyed hashes and display forms here."""
        row: dict[str, Any] = {
            "name": normalize_name(name),
            "education": education,
            "assets_fen": to_fen(assets),
            "other_assets_fen": to_fen(other_assets),
            "phone_hash": None,
            "phone_last4": None,
            "phone_masked": None,
            "id_hash": None,
            "id_last4": None,
            "birth_date": None,
            "card_hash": None,
            "card_last4": None,
        }
        if phone:
            digits = normalize_phone(phone)
            row.update(phone_hash=self.hash_of(digits), phone_last4=digits[-4:], phone_masked=mask_phone(digits))
        if id_number:
            parsed = parse_id_number(id_number, self.clock().date())
            row.update(
                id_hash=self.hash_of(parsed.number), id_last4=parsed.last4, birth_date=parsed.birth_date.isoformat()
            )
        if card:
            digits = normalize_card(card)
            row.update(card_hash=self.hash_of(digits), card_last4=digits[-4:])
        return row

    def upsert_customer(self, row: dict[str, Any], conn: sqlite3.Connection | None = None) -> tuple[str, bool]:
        """Insert, or update the customer with the same ID number (else phone): (id, created)."""

        def run(c: sqlite3.Connection) -> tuple[str, bool]:
            existing = None
            for key in ("id_hash", "phone_hash"):
                if row.get(key):
                    existing = c.execute(f"SELECT id FROM customers WHERE {key} = ?", (row[key],)).fetchone()
                    if existing:
                        break
            values = {**row, "updated_ts": self.now()}
            if existing:
                sets = ", ".join(f"{k} = :{k}" for k in values if values[k] is not None or k in ("education",))
                c.execute(f"UPDATE customers SET {sets} WHERE id = :id", {**values, "id": existing["id"]})
                self.chain_row(c, "customers", existing["id"])
                return existing["id"], False
            values.update(id=str(uuid.uuid4()), device_id=self.device_id, created_ts=self.now())
            cols = ", ".join(values)
            c.execute(f"INSERT INTO customers({cols}) VALUES ({', '.join(':' + k for k in values)})", values)
            self.chain_row(c, "customers", values["id"])
            return values["id"], True

        if conn is not None:
            return run(conn)
        with self.write() as c:
            return run(c)

    def add_customer(self, **fields: Any) -> Customer:
        customer_id, _ = self.upsert_customer(self.customer_row(**fields))
        return self.get_customer(customer_id)

    def get_customer(self, customer_id: str) -> Customer:
        return self._customer(self.query("SELECT * FROM customers WHERE id = ?", (customer_id,))[0])

    def lookup(
        self,
        *,
        phone: str | None = None,
        phone_last4: str | None = None,
        id_number: str | None = None,
        card: str | None = None,
        name: str | None = None,
        limit: int = LOOKUP_LIMIT,
    ) -> list[Customer]:
        """Directory search by one key (phone last four may be narrowed by a name prefix, as in
        "0001 王"); every path is an index lookup."""
        if phone_last4 is not None and name is not None:
            prefix = normalize_name(name)
            rows = self.query(
                "SELECT * FROM customers WHERE phone_last4 = ? AND name >= ? AND name < ? LIMIT ?",
                (normalize_last4(phone_last4), prefix, prefix + "\U0010ffff", limit),
            )
            return [self._customer(r) for r in rows]
        if phone is not None:
            where, value = "phone_hash = ?", self.hash_of(normalize_phone(phone))
        elif phone_last4 is not None:
            where, value = "phone_last4 = ?", normalize_last4(phone_last4)
        elif id_number is not None:
            where, value = "id_hash = ?", self.hash_of(parse_id_number(id_number, self.clock().date()).number)
        elif card is not None:
            where, value = "card_hash = ?", self.hash_of(normalize_card(card))
        elif name is not None:
            # Exact name or a prefix of it (张 finds 张三明), through the name index.
            prefix = normalize_name(name)
            rows = self.query(
                "SELECT * FROM customers WHERE name >= ? AND name < ? ORDER BY name LIMIT ?",
                (prefix, prefix + "\U0010ffff", limit),
            )
            return [self._customer(r) for r in rows]
        else:
            raise InputError("name.bad")
        rows = self.query(f"SELECT * FROM customers WHERE {where} LIMIT ?", (value, limit))
        return [self._customer(r) for r in rows]

    def customer_count(self) -> int:
        n: int = self.query("SELECT count(*) FROM customers")[0][0]
        return n
