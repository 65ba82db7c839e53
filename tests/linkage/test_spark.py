"""The same Splink settings on Spark as on DuckDB, on a small data set."""

from __future__ import annotations

import importlib.util

import pytest

from contactable.linkage.probabilistic import score_records
from tests.linkage.conftest import electors, people, record

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None,
    reason="pyspark is not installed: pip install 'contactable[spark]'",
)


def test_spark_links_a_small_council_as_duckdb_does() -> None:
    rows = people(
        [
            record("Bill", "Smith", id=1),
            record("Tom", "Smith", uprn="100000000010", id=2),
            record("Mrs Peggy", "Jones", "Flat 2 5 Park Rd", "ZZ1 1AB", id=3),
        ]
    )

    on_spark = score_records(rows, electors(), 0.6, engine="spark")
    on_duckdb = score_records(rows, electors(), 0.6, engine="duckdb")

    def pairs(frame: object) -> list[tuple[int, int, float]]:
        return [
            (r, e, round(p, 6)) for r, e, p in frame.sort("source_record_id").rows()
        ]  # type: ignore[attr-defined]

    assert pairs(on_spark.pairs) == pairs(on_duckdb.pairs)
    assert [r[:2] for r in pairs(on_spark.pairs)] == [(1, 1), (3, 3)]
    assert on_spark.comparisons == on_duckdb.comparisons
