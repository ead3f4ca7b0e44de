"""The customer import's batches and new ids (store/imports.py): batch sizes in whole multiples of the
first (a kill leaves whole batches), growing with the directory up to the cap; ids that are UUIDs of
version 7, in ascending order as they are handed out."""

from __future__ import annotations

import uuid
from itertools import islice

from lobby_tui.store.imports import CUSTOMER_CHUNK, CUSTOMER_CHUNK_MAX, _chunks, _growing, _uuid7s


def test_batches_grow_with_the_directory_in_whole_first_batches() -> None:
    sizes = list(islice(_growing(CUSTOMER_CHUNK, 50, CUSTOMER_CHUNK_MAX), 12))
    assert sizes[:4] == [5_000, 5_000, 10_000, 20_000]
    assert all(s % CUSTOMER_CHUNK == 0 for s in sizes) and max(sizes) == CUSTOMER_CHUNK_MAX
    assert list(islice(_growing(5_000, 2_000_000, 100_000), 3)) == [5_000, 100_000, 100_000]
    assert [len(c) for c in _chunks(range(23), _growing(5, 0, 10))] == [5, 5, 10, 3]
    assert [len(c) for c in _chunks(range(7), 3)] == [3, 3, 1]


def test_new_ids_are_uuid7_handed_out_in_ascending_order() -> None:
    ids = _uuid7s(500)
    handed = [ids.pop() for _ in range(500)]
    assert handed == sorted(handed) and len(set(handed)) == 500
    for text in handed[:50]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 7 and parsed.variant == uuid.RFC_4122
