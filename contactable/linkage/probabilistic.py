"""Scoring the records the sure steps left, with Splink on DuckDB or Spark.

The same settings (``contactable.linkage.model``) run on both: DuckDB for a
council on one machine, Spark for national scale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from splink import Linker

from contactable.linkage.model import TYPICAL_ELECTORS, link_settings
from contactable.linkage.people import COMPARISON_COLUMNS

logger = logging.getLogger(__name__)

LinkageEngine = Literal["duckdb", "spark"]
ENGINES: tuple[LinkageEngine, ...] = ("duckdb", "spark")

# Below this many records on either side, u values measured on the data would
# say strangers share a postcode one time in ten: the defaults are kept.
MIN_TRAINING_RECORDS = 5_000

# Pairs drawn at random to measure the u values: enough that even the rarest
# level is seen a hundred times in a council of a million people.
U_SAMPLE_PAIRS = 2_000_000
SEED = 2026

RECORDS, ELECTORS = "source_records", "electors"

SCORE_SCHEMA = {
    "source_record_id": pl.Int64,
    "elector_id": pl.Int64,
    "probability": pl.Float64,
}


@dataclass(frozen=True)
class Scores:
    """Candidate electors for each record at or above the floor asked for, and
    how many pairs were compared to find them."""

    pairs: pl.DataFrame
    comparisons: int
    trained: bool


Scorer = Callable[[pl.DataFrame, pl.DataFrame, float], Scores]


def _database(engine: LinkageEngine) -> Any:
    if engine == "duckdb":
        from splink import DuckDBAPI

        database = DuckDBAPI()
        # DuckDB draws progress bars on the terminal for long queries; the
        # command shows its own progress.
        database.duckdb_con.execute("SET enable_progress_bar = false")
        return database

    from contactable.linkage.spark import spark_database

    return spark_database()


def _frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(COMPARISON_COLUMNS)


def _register(database: Any, frame: pl.DataFrame, name: str) -> Any:
    table = _frame(frame).to_arrow()
    if hasattr(database, "spark"):
        return database.register(database.spark.createDataFrame(table), table_name=name)
    return database.register(table, table_name=name)


def _scalar(linker: Linker, sql: str) -> int:
    misc: Any = linker.misc
    result = misc.query_sql(sql).as_record_list()
    return int(next(iter(result[0].values())))


def score_records(
    records: pl.DataFrame,
    electors: pl.DataFrame,
    floor: float,
    *,
    engine: LinkageEngine = "duckdb",
) -> Scores:
    """Score records (left) against electors (right); keep pairs at ``floor`` or
    above. Both are ``comparable`` frames."""
    if records.is_empty() or electors.is_empty():
        return Scores(pl.DataFrame(schema=SCORE_SCHEMA), 0, False)

    database = _database(engine)
    trained = min(records.height, electors.height) >= MIN_TRAINING_RECORDS
    settings = link_settings(electors.height if trained else TYPICAL_ELECTORS)
    linker = Linker(
        [
            _register(database, records, RECORDS),
            _register(database, electors, ELECTORS),
        ],
        settings,
        log_level=None,
    )
    if trained:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=U_SAMPLE_PAIRS, seed=SEED
        )

    predictions = linker.inference.predict(warning_mode="never")
    comparisons = _scalar(linker, f"SELECT count(*) FROM {predictions.physical_name}")
    # Splink puts the tables in the order of their names, so each pair says
    # which side is which.
    left_is_record = f"source_dataset_l = '{RECORDS}'"
    misc: Any = linker.misc
    kept = misc.query_sql(
        f"SELECT CASE WHEN {left_is_record} THEN unique_id_l ELSE unique_id_r END "
        "AS source_record_id, "
        f"CASE WHEN {left_is_record} THEN unique_id_r ELSE unique_id_l END "
        "AS elector_id, match_probability AS probability "
        f"FROM {predictions.physical_name} WHERE match_probability >= {floor!r}"
    )
    pairs = pl.from_arrow(kept.as_pyarrow_table())
    assert isinstance(pairs, pl.DataFrame)
    logger.info(
        "scored %d records against %d electors: %d comparisons, %d kept",
        records.height,
        electors.height,
        comparisons,
        pairs.height,
    )
    return Scores(pairs.cast(SCORE_SCHEMA), comparisons, trained)  # type: ignore[arg-type]
