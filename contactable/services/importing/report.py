"""What an import did, for the person importing and for the audit log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from contactable.errors import ContactableError
from contactable.services.importing.rows import MAX_LISTED_ROWS, RejectedRow


class ImportRejected(ContactableError):
    """Rows of the file cannot be imported; nothing was imported."""

    code = "import_rejected"

    def __init__(self, file_name: str, rejected: tuple[RejectedRow, ...]) -> None:
        listed = "; ".join(
            f"row {r.row}: {r.reason}" for r in rejected[:MAX_LISTED_ROWS]
        )
        more = len(rejected) - MAX_LISTED_ROWS
        tail = f"; and {more} more rows" if more > 0 else ""
        super().__init__(
            f"Nothing was imported: {len(rejected)} rows of {file_name} cannot be "
            f"taken. Put them right and import the file again. {listed}{tail}."
        )
        self.rejected = rejected


class ImportNotPossible(ContactableError):
    """The file or the command cannot be imported as it stands."""

    code = "import_not_possible"


@dataclass
class ImportReport:
    """The counts of one import (DESIGN.md; issue 3, import reports)."""

    kind: str
    file_name: str
    batch_id: int | None = None
    already_imported: bool = False
    rows_read: int = 0
    records_created: int = 0
    records_updated: int = 0
    electors_left: int = 0
    contacts_accepted: int = 0
    contacts_with_problems: Counter[str] = field(default_factory=Counter)
    contacts_withheld: Counter[str] = field(default_factory=Counter)
    rows_rejected: int = 0

    def counts(self) -> dict[str, Any]:
        """The figures as the audit log and the import batch keep them."""
        return {
            "rows_read": self.rows_read,
            "records_created": self.records_created,
            "records_updated": self.records_updated,
            "electors_left": self.electors_left,
            "contacts_accepted": self.contacts_accepted,
            "contacts_with_problems": dict(sorted(self.contacts_with_problems.items())),
            "contacts_withheld": dict(sorted(self.contacts_withheld.items())),
            "rows_rejected": self.rows_rejected,
        }
