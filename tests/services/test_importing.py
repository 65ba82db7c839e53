"""Imports with provenance and the lawful-use gate, on SQLite and PostgreSQL.

Each test looks in the database, not only at the report.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from contactable.config import Settings
from contactable.governance import records
from contactable.governance.retention import PurgeReason, plan_purge
from contactable.governance.usability import usable_contacts
from contactable.services.importing import common
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.importing.report import ImportNotPossible, ImportRejected
from contactable.sources import UnreadableFile
from contactable.store import (
    AuditEvent,
    ContactPoint,
    Elector,
    ImportBatch,
    Objection,
    Observation,
    SourceRecord,
    transaction,
)

SETTINGS = Settings()
TODAY = date(2026, 6, 1)
REGISTER = [
    [
        "Elector Number",
        "Title",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "UPRN",
        "Email",
        "Phone",
    ],
    [
        "AB1-1",
        "Mr",
        "Jo",
        "Bloggs",
        "1 High Street",
        "ZZ1 1AA",
        "100000000001",
        "jo@example.com",
        "07400 123456",
    ],
    [
        "AB1-2",
        "Ms",
        "Sam",
        "Bloggs",
        "1 High Street",
        "ZZ1 1AA",
        "100000000001",
        "",
        "",
    ],
    ["AB1-3", "Dr", "Al", "Smith", "2 High Street", "ZZ1 1AA", "", "al@gmial.com", ""],
]
TAX = [
    [
        "Account Reference",
        "Full Name",
        "Address 1",
        "Postcode",
        "Email",
        "Mobile",
        "Last Updated",
    ],
    [
        "CT-1",
        "Jo Bloggs",
        "1 High Street",
        "ZZ1 1AA",
        "jo.tax@example.com",
        "07400 654321",
        "01/05/2025",
    ],
    ["CT-2", "Pat Jones", "9 Low Road", "ZZ2 2BB", "pat@example.com", "", "01/03/2025"],
    ["CT-3", "Lee Wong", "3 High Street", "ZZ1 1AA", "lee@example.com", "", ""],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def _count(engine: Engine, model: type) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _all_text(engine: Engine) -> str:
    """Every value in every table, to look for a contact that must not be there."""
    with engine.connect() as connection:
        tables = [
            "properties",
            "electors",
            "source_records",
            "observations",
            "contact_points",
            "objections",
            "audit_events",
            "import_batches",
        ]
        return " ".join(
            str(value)
            for table in tables
            for row in connection.execute(text(f"SELECT * FROM {table}"))
            for value in row
        )


def _import_tax(engine: Engine, path: Path, **options: object) -> object:
    return import_records(
        engine,
        path,
        SETTINGS,
        kind="council-tax",
        actor="tester",
        today=TODAY,
        **options,  # type: ignore[arg-type]
    )


def _agree_and_notify(engine: Engine, *, notice_from: date = date(2025, 4, 1)) -> None:
    with transaction(engine) as session:
        records.add_agreement(
            session,
            department="Council Tax",
            reference="DSA-1",
            kinds=["council-tax"],
            covers_contact_details=True,
            starts_on=date(2026, 1, 1),
            ends_on=None,
            actor="tester",
        )
        records.add_notice(
            session,
            department="Council Tax",
            reference="PN-1",
            kinds=["council-tax"],
            covers_contact_disclosure=True,
            effective_from=notice_from,
            effective_to=None,
            actor="tester",
        )


def test_the_register_creates_electors_properties_and_contact_points(
    engine: Engine, tmp_path: Path
) -> None:
    report = import_register(
        engine,
        _csv(tmp_path / "r.csv", REGISTER),
        SETTINGS,
        actor="tester",
        today=TODAY,
    )

    assert (report.rows_read, report.records_created, report.contacts_accepted) == (
        3,
        3,
        3,
    )
    assert report.contacts_with_problems == {"domain_typo": 1}
    with transaction(engine) as session:
        electors = session.scalars(
            select(Elector).order_by(Elector.elector_number)
        ).all()
        assert [(e.elector_number, e.status) for e in electors] == [
            ("AB1-1", "current"),
            ("AB1-2", "current"),
            ("AB1-3", "current"),
        ]
        # The two Bloggs share one property by UPRN.
        assert (
            electors[0].property_id
            == electors[1].property_id
            != electors[2].property_id
        )
        points = session.execute(
            select(
                Elector.elector_number,
                ContactPoint.kind,
                ContactPoint.value,
                ContactPoint.status,
                ContactPoint.suggestion,
            )
            .join(Elector)
            .order_by(Elector.elector_number, ContactPoint.kind)
        ).all()
        assert [tuple(p) for p in points] == [
            ("AB1-1", "email", "jo@example.com", "ok", None),
            ("AB1-1", "phone", "+447400123456", "ok", None),
            ("AB1-3", "email", "al@gmial.com", "suggestion", "al@gmail.com"),
        ]


def test_a_later_register_updates_and_marks_leavers_without_deleting(
    engine: Engine, tmp_path: Path
) -> None:
    import_register(
        engine,
        _csv(tmp_path / "1.csv", REGISTER),
        SETTINGS,
        actor="t",
        today=date(2026, 1, 1),
    )
    later = [
        REGISTER[0],
        [*REGISTER[2][:3], "Bloggs-Smith", *REGISTER[2][4:]],
        REGISTER[3],
    ]

    report = import_register(
        engine, _csv(tmp_path / "2.csv", later), SETTINGS, actor="t", today=TODAY
    )

    assert (report.records_created, report.records_updated, report.electors_left) == (
        0,
        1,
        1,
    )
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Elector.elector_number, Elector.surname, Elector.status, Elector.left_on
            ).order_by(Elector.elector_number)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("AB1-1", "Bloggs", "left", TODAY),
        ("AB1-2", "Bloggs-Smith", "current", None),
        ("AB1-3", "Smith", "current", None),
    ]
    assert _count(engine, ContactPoint) == 3


def test_council_tax_contacts_are_withheld_without_an_agreement(
    engine: Engine, tmp_path: Path
) -> None:
    report = _import_tax(engine, _csv(tmp_path / "tax.csv", TAX))

    assert report.contacts_withheld == {"no_agreement": 4}  # type: ignore[attr-defined]
    assert report.contacts_accepted == 0  # type: ignore[attr-defined]
    assert _count(engine, Observation) == 0
    stored = _all_text(engine)
    for value in ("jo.tax@example.com", "07400 654321", "pat@example.com", "lee@"):
        assert value not in stored
    # Names and addresses are kept (rule 2).
    with transaction(engine) as session:
        names = session.scalars(
            select(SourceRecord.surname).order_by(SourceRecord.row_number)
        )
        assert list(names) == ["Bloggs", "Jones", "Wong"]


def test_the_same_file_after_an_agreement_and_a_covering_notice_stores_them(
    engine: Engine, tmp_path: Path
) -> None:
    _agree_and_notify(engine)

    report = _import_tax(engine, _csv(tmp_path / "tax.csv", TAX))

    # Row 3 was collected before the notice; row 4 has no date and no attestation.
    assert report.contacts_withheld == {  # type: ignore[attr-defined]
        "notice_not_in_effect": 1,
        "collection_date_unknown": 1,
    }
    with transaction(engine) as session:
        stored = session.execute(
            select(
                SourceRecord.row_number,
                Observation.kind,
                Observation.normalised,
                SourceRecord.agreement_id.is_not(None),
            )
            .join(SourceRecord)
            .order_by(SourceRecord.row_number, Observation.kind)
        ).all()
    assert [tuple(s) for s in stored] == [
        (2, "email", "jo.tax@example.com", True),
        (2, "phone", "+447400654321", True),
    ]


def test_a_notice_that_starts_after_the_collection_date_does_not_cover(
    engine: Engine, tmp_path: Path
) -> None:
    _agree_and_notify(engine, notice_from=date(2025, 4, 1))

    report = _import_tax(
        engine, _csv(tmp_path / "tax.csv", TAX), collected_after=date(2025, 3, 31)
    )

    # Row 3 was collected on 1 March 2025, before the notice: withheld.
    assert report.contacts_withheld == {"notice_not_in_effect": 1}  # type: ignore[attr-defined]
    assert "pat@example.com" not in _all_text(engine)
    assert "lee@example.com" in _all_text(engine)


def test_revocation_takes_effect_on_its_date(engine: Engine, tmp_path: Path) -> None:
    import_register(
        engine, _csv(tmp_path / "r.csv", REGISTER), SETTINGS, actor="t", today=TODAY
    )
    _agree_and_notify(engine)
    _import_tax(engine, _csv(tmp_path / "tax.csv", TAX))
    with transaction(engine) as session:
        # Attach the Council Tax email to Jo Bloggs, as linking would.
        jo = session.scalar(select(Elector.id).where(Elector.elector_number == "AB1-1"))
        observation = session.scalar(
            select(Observation).where(Observation.normalised == "jo.tax@example.com")
        )
        assert observation is not None
        point = ContactPoint(
            elector_id=jo,
            kind="email",
            value="jo.tax@example.com",
            status="ok",
            first_seen_on=TODAY,
            last_seen_on=TODAY,
        )
        session.add(point)
        session.flush()
        observation.contact_point_id = point.id
        records.revoke_agreement(
            session,
            reference="DSA-1",
            on=date(2026, 7, 1),
            reason="Department withdrew",
            actor="t",
        )

    with engine.connect() as connection:
        before = usable_contacts(connection, date(2026, 6, 30))["value"].to_list()
        after = usable_contacts(connection, date(2026, 7, 1))["value"].to_list()
    assert "jo.tax@example.com" in before
    assert "jo.tax@example.com" not in after
    # The register's own contacts rest on an electoral source and stay.
    assert "jo@example.com" in after
    with transaction(engine) as session:
        plan = plan_purge(session, SETTINGS, date(2026, 7, 1))
        assert [i.masked_value for i in plan.items] == ["j*****@example.com"]
        assert plan.items[0].reason is PurgeReason.AGREEMENT_ENDED


def test_an_objected_contact_never_comes_back_from_a_local_record(
    engine: Engine, tmp_path: Path
) -> None:
    # Sam's email is the one Pat Jones gives the Council Tax office.
    register = [REGISTER[0], REGISTER[1], [*REGISTER[2][:7], "pat@example.com", ""]]
    import_register(
        engine, _csv(tmp_path / "r.csv", register), SETTINGS, actor="t", today=TODAY
    )
    _agree_and_notify(engine)
    with transaction(engine) as session:
        for number in ("AB1-1", "AB1-2"):
            records.add_objection(
                session, elector_number=number, kind="email", on=TODAY, actor="t"
            )

    tax = [*TAX[:2], [*TAX[2][:6], "01/05/2025"], TAX[3]]
    report = _import_tax(engine, _csv(tmp_path / "tax.csv", tax))

    # Jo's Council Tax email is withheld because Jo, found by name and address,
    # objected; Pat's because the value is one Sam objected to, under any name.
    assert report.contacts_withheld == {  # type: ignore[attr-defined]
        "objection": 2,
        "collection_date_unknown": 1,
    }
    with transaction(engine) as session:
        tax_values = session.scalars(
            select(Observation.normalised)
            .join(SourceRecord)
            .where(SourceRecord.kind == "council-tax")
        ).all()
    assert tax_values == ["+447400654321"]
    assert "jo.tax@example.com" not in _all_text(engine)
    # One objection per elector and kind, and one per value held.
    assert _count(engine, Objection) == 4


def test_importing_the_same_file_twice_creates_nothing_twice(
    engine: Engine, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "tax.csv", TAX)
    _import_tax(engine, path)
    before = (
        _count(engine, SourceRecord),
        _count(engine, ImportBatch),
        _count(engine, AuditEvent),
    )

    again = _import_tax(engine, path)

    assert again.already_imported  # type: ignore[attr-defined]
    assert (
        _count(engine, SourceRecord),
        _count(engine, ImportBatch),
        _count(engine, AuditEvent),
    ) == before


def test_a_bad_row_imports_nothing_and_lists_every_bad_row(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [
        *TAX,
        ["CT-4", "", "", "", "", "", ""],
        ["CT-5", "X Y", "1 A St", "", "", "", "31/02/2025"],
    ]

    with pytest.raises(ImportRejected) as caught:
        _import_tax(engine, _csv(tmp_path / "tax.csv", rows))

    assert str(caught.value) == (
        "Nothing was imported: 2 rows of tax.csv cannot be taken. Put them right and "
        "import the file again. row 5: there is no elector number, and no name and "
        "address to match by; row 6: the date could not be read; write it as "
        "DD/MM/YYYY or YYYY-MM-DD."
    )
    assert _count(engine, SourceRecord) == _count(engine, ImportBatch) == 0


def test_a_database_error_part_way_leaves_the_database_as_it_was(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _agree_and_notify(engine)
    events = _count(engine, AuditEvent)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(
        "contactable.services.importing.records.insert_observations", fail
    )
    with pytest.raises(RuntimeError, match="the disk is full"):
        _import_tax(engine, _csv(tmp_path / "tax.csv", TAX))

    assert _count(engine, SourceRecord) == _count(engine, ImportBatch) == 0
    assert _count(engine, AuditEvent) == events


def test_every_import_is_audited_without_contact_values(
    engine: Engine, tmp_path: Path
) -> None:
    import_register(
        engine, _csv(tmp_path / "r.csv", REGISTER), SETTINGS, actor="alice", today=TODAY
    )

    with transaction(engine) as session:
        event = session.scalars(select(AuditEvent)).one()
        assert (event.actor, event.action, event.subject) == (
            "alice",
            "import.register",
            "import_batch:1",
        )
        assert event.counts["contacts_accepted"] == 3
        assert event.file_sha256 == common.file_digest(tmp_path / "r.csv")
        assert "@" not in str(event.counts) + str(event.details)


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(40), UnreadableFile, "not"),
        (b"", None, "has no rows"),
    ],
)
def test_hostile_files_get_one_clear_message(
    engine: Engine, tmp_path: Path, content: bytes, error: type | None, message: str
) -> None:
    path = tmp_path / "tax.csv"
    path.write_bytes(content)

    with pytest.raises(Exception) as caught:
        _import_tax(engine, path)

    assert error is None or isinstance(caught.value, error)
    assert message in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_a_register_without_elector_numbers_is_refused_with_its_headers(
    engine: Engine, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "r.csv", [["Name", "Address"], ["Jo Bloggs", "1 High St"]])

    with pytest.raises(ImportNotPossible) as caught:
        import_register(engine, path, SETTINGS, actor="t", today=TODAY)

    assert str(caught.value) == (
        "r.csv does not look like a register export: it needs an elector number and a "
        "surname column. The columns are: 'Name', 'Address'. Describe its columns in a "
        "mapping file and pass --mapping."
    )


def test_formula_cells_are_kept_as_text(engine: Engine, tmp_path: Path) -> None:
    rows = [
        REGISTER[0],
        ["AB1-9", "", "=1+1", "Bloggs", "1 High St", "ZZ1 1AA", "", "", ""],
    ]

    import_register(
        engine, _csv(tmp_path / "r.csv", rows), SETTINGS, actor="t", today=TODAY
    )

    with transaction(engine) as session:
        assert session.scalar(select(Elector.forename)) == "=1+1"


def test_a_file_with_a_header_and_no_rows_imports_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    with pytest.raises(ImportNotPossible, match=r"^tax\.csv has no rows to import\.$"):
        _import_tax(engine, _csv(tmp_path / "tax.csv", TAX[:1]))
    with pytest.raises(ImportNotPossible, match="has no electors in it"):
        import_register(
            engine,
            _csv(tmp_path / "r.csv", REGISTER[:1]),
            SETTINGS,
            actor="t",
            today=TODAY,
        )

    assert _count(engine, ImportBatch) == 0


@pytest.mark.parametrize(
    "header",
    [
        # Xpress: the polling district and the number in separate columns.
        [
            "Elector Number Prefix",
            "Elector Number",
            "Elector Number Suffix",
            "Elector Forename",
            "Elector Surname",
            "Address1",
            "Address2",
            "PostCode",
            "UPRN",
            "Email Address",
            "Telephone Number",
        ],
        # Eros: the district code and the roll number.
        [
            "PD Code",
            "Roll No",
            "Suffix",
            "First Name",
            "Surname",
            "Address Line 1",
            "Address Line 2",
            "Post Code",
            "UPRN",
            "E-mail",
            "Phone",
        ],
    ],
)
def test_the_common_register_shapes_are_read_by_their_headers(
    engine: Engine, tmp_path: Path, header: list[str]
) -> None:
    rows = [
        header,
        [
            "AB1",
            "17",
            "",
            "Jo",
            "Bloggs",
            "1 High St",
            "Testtown",
            "ZZ1 1AA",
            "100000000001",
            "jo@example.com",
            "07400 123456",
        ],
        [
            "AB1",
            "18",
            "1",
            "Al",
            "Bloggs",
            "1 High St",
            "Testtown",
            "ZZ1 1AA",
            "100000000001",
            "",
            "",
        ],
    ]

    import_register(
        engine, _csv(tmp_path / "r.csv", rows), SETTINGS, actor="t", today=TODAY
    )

    with transaction(engine) as session:
        people = session.execute(
            select(Elector.elector_number, Elector.forename, Elector.surname).order_by(
                Elector.elector_number
            )
        ).all()
        assert [tuple(p) for p in people] == [
            ("AB1-17", "Jo", "Bloggs"),
            ("AB1-18/1", "Al", "Bloggs"),
        ]
        assert session.scalar(select(func.count()).select_from(ContactPoint)) == 2


def test_a_mapping_file_describes_any_other_shape(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [
        ["Ref", "Given", "Family", "Addr", "PC", "Mail 1"],
        ["AB1-1", "Jo", "Bloggs", "1 High St", "ZZ1 1AA", "jo@example.com"],
    ]
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\nelector_number = "Ref"\nforename = "Given"\nsurname = "Family"\n'
        'address_1 = "Addr"\npostcode = "PC"\nemail = ["Mail 1"]\n',
        "utf-8",
    )

    import_register(
        engine,
        _csv(tmp_path / "r.csv", rows),
        SETTINGS,
        actor="t",
        mapping_path=mapping,
        today=TODAY,
    )

    with transaction(engine) as session:
        assert session.scalar(select(ContactPoint.value)) == "jo@example.com"


def test_a_killed_import_leaves_the_database_as_it_was(
    database_url: str, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    from contactable.store import make_engine, upgrade

    upgrade(database_url)
    path = _csv(tmp_path / "r.csv", REGISTER)
    script = (
        "import os, signal\n"
        "from pathlib import Path\n"
        "from contactable.config import Settings\n"
        "from contactable.services.importing import common, register\n"
        "from contactable.store import make_engine\n"
        "def die(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "register.insert_observations = die\n"
        f"register.import_register(make_engine({database_url!r}), Path({str(path)!r}),"
        " Settings(), actor='t')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=os.environ.copy(), check=False
    )

    assert result.returncode == -9
    engine = make_engine(database_url)
    try:
        for model in (ImportBatch, Elector, SourceRecord, ContactPoint, AuditEvent):
            assert _count(engine, model) == 0
    finally:
        engine.dispose()
