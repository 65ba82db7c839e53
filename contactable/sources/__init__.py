"""Read and write tables in CSV, XLSX and ODS files: the bottom layer.

Nothing here touches the store: tables go in and out as Polars data frames.
"""

from contactable.sources.errors import (
    BadEncoding,
    EmptyFile,
    FileMissing,
    HeaderNotFound,
    MissingColumns,
    OutputNotWritable,
    SheetMissing,
    SourceError,
    UnreadableFile,
    UnsupportedOutput,
    WorkbookTooLarge,
)
from contactable.sources.reading import (
    SourceFormat,
    SourceTable,
    read_table,
    require_columns,
)
from contactable.sources.writing import (
    is_formula_like,
    neutralise_formulas,
    private_file,
    write_table,
)

__all__ = [
    "BadEncoding",
    "EmptyFile",
    "FileMissing",
    "HeaderNotFound",
    "MissingColumns",
    "OutputNotWritable",
    "SheetMissing",
    "SourceError",
    "SourceFormat",
    "SourceTable",
    "UnreadableFile",
    "UnsupportedOutput",
    "WorkbookTooLarge",
    "is_formula_like",
    "neutralise_formulas",
    "private_file",
    "read_table",
    "require_columns",
    "write_table",
]
