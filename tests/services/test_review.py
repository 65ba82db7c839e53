"""The review queue: export, decisions, apply, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import stat
from datetime import date
from pathlib import Path

import fastexcel
import polars as pl
import xlsxwriter
from sqlalchemy import Engine, select

from contactable.config import Settings
from contactable.services.importing.register import import_register
from contactable.services.review import apply_review, export_review
from contactable.store import AuditEvent, ContactPoint, Elector, transaction

SETTINGS = Settings(document_url_template="https://ems.example.com/doc/{reference}")
REGISTER = [
    [
        "Elector Number",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "Email",
        "Phone",
        "Document Reference",
    ],
    ["AB1-1", "Jo", "Bloggs", "1 High St", "ZZ1 1AA", "jo@gmial.com", "", "IMG-1"],
    [
        "AB1-2",
        "Sam",
        "Bloggs",
        "1 High St",
        "ZZ1 1AA",
        "sam bloggs@example.com",
        "",
        "IMG-2",
    ],
    ["AB1-3", "Al", "Smith", "2 High St", "ZZ1 1AA", "al@exmaple.con", "", "IMG-3"],
    [
        "AB1-4",
        "Lee",
        "Wong",
        "3 High St",
        "ZZ1 1AA",
        "lee@example.com",
        "0740012345",
        "IMG-4",
    ],
]


def _database(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(REGISTER)
    import_register(engine, path, SETTINGS, actor="t", today=date(2026, 6, 1))


def _export(engine: Engine, path: Path) -> dict[str, pl.DataFrame]:
    with transaction(engine) as session:
        export_review(session, SETTINGS, path, "alice")
    workbook = fastexcel.read_excel(str(path))
    return {
        name: workbook.load_sheet(name, dtypes="string").to_polars()
        for name in workbook.sheet_names
    }


def _decide(path: Path, sheets: dict[str, list[tuple[str, str, str]]]) -> Path:
    """A workbook as staff return it: item, decision and correction per row."""
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for column, header in enumerate(("Item", "Decision", "Correct to")):
            sheet.write_string(0, column, header)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                sheet.write_string(number, column, value)
    workbook.close()
    return path


def _points(engine: Engine) -> list[tuple[str, str, str, str | None]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Elector.elector_number,
                ContactPoint.value,
                ContactPoint.status,
                ContactPoint.problem,
            )
            .join(Elector)
            .order_by(Elector.elector_number, ContactPoint.kind)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_the_export_has_a_sheet_per_problem_with_the_document_to_check(
    engine: Engine, tmp_path: Path
) -> None:
    _database(engine, tmp_path)

    sheets = _export(engine, tmp_path / "review.xlsx")

    assert sorted(sheets) == [
        "Email domain typo",
        "Email unknown tld",
        "Email whitespace",
        "Phone too short",
    ]
    typo = sheets["Email domain typo"]
    assert typo.select(
        "Elector", "Name", "Value as recorded", "Suggestion", "Source", "Document"
    ).rows() == [
        ("AB1-1", "Jo Bloggs", "jo@gmial.com", "jo@gmail.com", "register", "IMG-1"),
    ]
    assert stat.S_IMODE((tmp_path / "review.xlsx").stat().st_mode) == 0o600


def test_decisions_are_applied_checked_and_audited(
    engine: Engine, tmp_path: Path
) -> None:
    _database(engine, tmp_path)
    sheets = _export(engine, tmp_path / "review.xlsx")
    item = {name: frame["Item"][0] for name, frame in sheets.items()}
    decided = _decide(
        tmp_path / "decided.xlsx",
        {
            "Email domain typo": [(item["Email domain typo"], "accept suggestion", "")],
            "Email whitespace": [
                (item["Email whitespace"], "correct to", "sam.bloggs@example.com")
            ],
            "Email unknown tld": [(item["Email unknown tld"], "remove", "")],
            "Phone too short": [(item["Phone too short"], "keep as recorded", "")],
        },
    )

    with transaction(engine) as session:
        report = apply_review(session, SETTINGS, decided, "alice")

    assert dict(report.decisions) == {
        "accept suggestion": 1,
        "correct to": 1,
        "remove": 1,
        "keep as recorded": 1,
    }
    assert _points(engine) == [
        ("AB1-1", "jo@gmail.com", "ok", None),
        ("AB1-2", "sam.bloggs@example.com", "ok", None),
        ("AB1-4", "lee@example.com", "ok", None),
        # Kept as recorded: still invalid, but not queued again.
        ("AB1-4", "0740012345", "invalid", "too_short"),
    ]
    with transaction(engine) as session:
        decisions = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review.decision")
        ).all()
        assert len(decisions) == 4
        assert all("@" not in str(e.details) for e in decisions)
    assert sorted(_export(engine, tmp_path / "again.xlsx")) == ["Nothing to review"]


def test_applying_the_same_sheet_twice_changes_nothing_more(
    engine: Engine, tmp_path: Path
) -> None:
    _database(engine, tmp_path)
    sheets = _export(engine, tmp_path / "review.xlsx")
    decided = _decide(
        tmp_path / "decided.xlsx",
        {
            "Email domain typo": [
                (sheets["Email domain typo"]["Item"][0], "accept suggestion", "")
            ],
        },
    )
    with transaction(engine) as session:
        apply_review(session, SETTINGS, decided, "alice")
    before = _points(engine)

    with transaction(engine) as session:
        again = apply_review(session, SETTINGS, decided, "alice")

    assert (dict(again.decisions), again.unchanged, again.skipped) == ({}, 1, [])
    assert _points(engine) == before


def test_a_row_whose_value_changed_since_the_export_is_skipped(
    engine: Engine, tmp_path: Path
) -> None:
    _database(engine, tmp_path)
    sheets = _export(engine, tmp_path / "review.xlsx")
    with transaction(engine) as session:
        point = session.scalar(
            select(ContactPoint).where(ContactPoint.value == "jo@gmial.com")
        )
        assert point is not None
        point.value = "jo@gmial.co.uk"
    decided = _decide(
        tmp_path / "decided.xlsx",
        {
            "Email domain typo": [
                (sheets["Email domain typo"]["Item"][0], "accept suggestion", "")
            ],
        },
    )

    with transaction(engine) as session:
        report = apply_review(session, SETTINGS, decided, "alice")

    assert report.skipped == [
        "Email domain typo row 2: the contact changed since the export"
    ]
    assert not report.decisions


def test_a_correction_is_checked_again_and_refused_when_wrong(
    engine: Engine, tmp_path: Path
) -> None:
    _database(engine, tmp_path)
    sheets = _export(engine, tmp_path / "review.xlsx")
    decided = _decide(
        tmp_path / "decided.xlsx",
        {
            "Email whitespace": [
                (sheets["Email whitespace"]["Item"][0], "correct to", "sam@@example")
            ],
            "Phone too short": [(sheets["Phone too short"]["Item"][0], "perhaps", "")],
        },
    )

    with transaction(engine) as session:
        report = apply_review(session, SETTINGS, decided, "alice")

    assert report.skipped == [
        "Email whitespace row 2: the new value is not usable (punctuation)",
        "Phone too short row 2: not a decision on the list",
    ]
