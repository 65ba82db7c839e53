"""A Spark session for Splink, for linkage at national scale.

pyspark is an optional extra (``pip install contactable[spark]``) and needs
Java; on one machine it runs Spark locally, on every core.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from typing import Any

from contactable.errors import ContactableError


class SparkNotAvailable(ContactableError):
    """Linking on Spark was asked for, but pyspark is not installed."""

    code = "spark_not_available"


def spark_database() -> Any:
    """Splink's Spark database API on a local Spark session."""
    try:
        from pyspark.sql import SparkSession
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location
    except ImportError:
        raise SparkNotAvailable(
            "Linking on Spark needs pyspark. Install it with "
            "pip install 'contactable[spark]', or link with --engine duckdb."
        ) from None

    # Spark makes a warehouse folder on first use; Splink keeps no tables in it,
    # so it goes in a temporary folder rather than the working one.
    warehouse = tempfile.mkdtemp(prefix="contactable-spark-")
    atexit.register(shutil.rmtree, warehouse, ignore_errors=True)
    session = (
        SparkSession.builder.master("local[*]")
        .appName("contactable-link")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Splink's string similarity functions (Jaro-Winkler) for Spark SQL.
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    # Persisting in memory, rather than checkpointing to disk, needs no folder.
    api: Any = SparkAPI
    return api(spark_session=session, break_lineage_method="persist")
