"""``contactable report``: coverage, quality, compliance and delivery, with charts,
as an Excel workbook or one self-contained web page.

The figures hold counts and elector numbers, never a contact value.
"""

from contactable.services.reporting._figures import (
    AGREEMENT_NOTICE_DAYS,
    NO_DISTRICT,
    AgreementFigures,
    Coverage,
    ReportFigures,
    gather_figures,
)
from contactable.services.reporting._layout import SHEETS
from contactable.services.reporting._service import (
    REPORT_FORMATS,
    ReportFormatError,
    ReportWritten,
    report_format,
    write_report,
)

__all__ = [
    "AGREEMENT_NOTICE_DAYS",
    "NO_DISTRICT",
    "REPORT_FORMATS",
    "SHEETS",
    "AgreementFigures",
    "Coverage",
    "ReportFigures",
    "ReportFormatError",
    "ReportWritten",
    "gather_figures",
    "report_format",
    "write_report",
]
