"""The lists that go out, read back with spreadsheet readers, on both databases:
Notify recipients, the paper follow-up and the EMS update."""

from __future__ import annotations

import csv
import stat
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import fastexcel
import pytest
from sqlalchemy import Engine, select

from contactable.config import Settings
from contactable.governance import records as governance
from contactable.services.delivery.recording import (
    DeliveryReport,
    Receipt,
    record_receipts,
)
from contactable.services.delivery.statuses import status_from_code
from contactable.services.exports import lists
from contactable.services.exports.lists import (
    export_ems_update,
    export_follow_up,
    export_recipients,
)
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.linking import link_records
from contactable.store import AuditEvent, transaction
from tests.services.test_linking import _write

SETTINGS = Settings()
TODAY = date(2026, 6, 1)
FORMULA = '=HYPERLINK("http://evil.example","Click")'
REGISTER = [
    [
        "Elector Number",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "UPRN",
        "Email",
        "Phone",
    ],
    # William and Mary share a house, and Mary's email with it.
    [
        "AB1-1",
        "William",
        "Smith",
        "10 High Street",
        "ZZ1 1AA",
        "100000000010",
        "will@example.com",
        "07400 123456",
    ],
    [
        "AB1-2",
        "Mary",
        "Smith",
        "10 High Street",
        "ZZ1 1AA",
        "100000000010",
        "smiths@example.com",
        "0113 243 4000",
    ],
    [
        "AB1-3",
        "Margaret",
        "Jones",
        FORMULA,
        "ZZ1 1AB",
        "100000000020",
        "margaret@example.com",
        "07797 700001",
    ],
    [
        "AB1-4",
        "Robert",
        "Brown",
        "4 Mill Lane",
        "ZZ1 1AC",
        "",
        "robert@example.com",
        "",
    ],
    ["AB1-5", "Aisha", "Khan", "7 Mill Lane", "ZZ1 1AC", "", "aisha@gmial.com", ""],
    ["AB1-6", "Peter", "Jones", "9 Mill Lane", "ZZ1 1AC", "", "peter@example.com", ""],
]
CANVASS = [
    [
        "Elector Number",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "Email",
        "Date Received",
        "Document Reference",
    ],
    # William answers the canvass with a new address, which he now prefers;
    # Mary gives the house's shared one too.
    [
        "AB1-1",
        "William",
        "Smith",
        "10 High Street",
        "ZZ1 1AA",
        "bill@example.org",
        "01/05/2026",
        "IMG-1",
    ],
    [
        "AB1-2",
        "Mary",
        "Smith",
        "10 High Street",
        "ZZ1 1AA",
        "smiths@example.com",
        "01/05/2026",
        "IMG-2",
    ],
]


@pytest.fixture
def council(engine: Engine, tmp_path: Path) -> Engine:
    """The register and a canvass, linked; Robert's email bounced for good and
    Peter objected to the use of his."""
    register = _write(tmp_path, "register.csv", REGISTER)
    import_register(engine, register, SETTINGS, actor="tester", today=TODAY)
    canvass = _write(tmp_path, "canvass.csv", CANVASS)
    import_records(
        engine, canvass, SETTINGS, kind="canvass-response", actor="tester", today=TODAY
    )
    link_records(engine, SETTINGS, actor="tester", today=TODAY)
    with transaction(engine) as session:
        bounced = Receipt(
            "email",
            "robert@example.com",
            status_from_code("permanent-failure"),
            datetime(2026, 5, 20, 9, 0, tzinfo=UTC),
            "message-1",
        )
        record_receipts(session, [bounced], SETTINGS, DeliveryReport("bounce"))
        governance.add_objection(
            session, elector_number="AB1-6", kind="email", on=TODAY, actor="tester"
        )
    return engine


def _recipients(
    engine: Engine, out: Path, channel: str, per: str
) -> lists.ExportResult:
    with transaction(engine) as session:
        return export_recipients(
            session, out, channel=channel, per=per, day=TODAY, actor="tester"
        )


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_email_recipients_are_each_electors_preferred_usable_address(
    council: Engine, tmp_path: Path
) -> None:
    done = _recipients(council, tmp_path / "email.csv", "email", "elector")

    rows = _csv_rows(tmp_path / "email.csv")
    assert rows[0] == ["email address", "name", "address", "postcode", "elector number"]
    # Not Robert (bounced), Aisha (a misspelt domain) or Peter (objected).
    assert rows[1:] == [
        ["bill@example.org", "William Smith", "10 High Street", "ZZ1 1AA", "AB1-1"],
        ["smiths@example.com", "Mary Smith", "10 High Street", "ZZ1 1AA", "AB1-2"],
        [
            "margaret@example.com",
            "Margaret Jones",
            "'" + FORMULA,
            "ZZ1 1AB",
            "AB1-3",
        ],
    ]
    assert (done.rows, done.files) == (3, (tmp_path / "email.csv",))


def test_texts_go_only_to_british_mobiles_in_the_form_notify_reads(
    council: Engine, tmp_path: Path
) -> None:
    _recipients(council, tmp_path / "sms.csv", "sms", "elector")

    rows = _csv_rows(tmp_path / "sms.csv")
    # Mary's landline and Margaret's Jersey mobile are left out.
    assert [r[0] for r in rows] == ["phone number", "+447400123456"]
    assert rows[1][4] == "AB1-1"


def test_per_property_every_usable_address_of_its_electors_goes_once(
    council: Engine, tmp_path: Path
) -> None:
    _recipients(council, tmp_path / "house.csv", "email", "property")

    rows = sorted(tuple(r) for r in _csv_rows(tmp_path / "house.csv")[1:])
    assert rows == [
        ("bill@example.org", "William Smith", "10 High Street", "ZZ1 1AA", "AB1-1"),
        ("margaret@example.com", "Margaret Jones", "'" + FORMULA, "ZZ1 1AB", "AB1-3"),
        (
            "smiths@example.com",
            "Mary Smith",
            "10 High Street",
            "ZZ1 1AA",
            "AB1-2",
        ),
        ("will@example.com", "William Smith", "10 High Street", "ZZ1 1AA", "AB1-1"),
    ]


def test_a_shared_address_is_sent_once_to_the_household(
    engine: Engine, tmp_path: Path
) -> None:
    shared = [
        REGISTER[0],
        [*REGISTER[1][:6], "smiths@example.com", ""],
        [*REGISTER[2][:6], "smiths@example.com", ""],
    ]
    register = _write(tmp_path, "register.csv", shared)
    import_register(engine, register, SETTINGS, actor="tester", today=TODAY)

    _recipients(engine, tmp_path / "house.csv", "email", "property")

    assert _csv_rows(tmp_path / "house.csv")[1:] == [
        [
            "smiths@example.com",
            "William Smith and Mary Smith",
            "10 High Street",
            "ZZ1 1AA",
            "AB1-1; AB1-2",
        ]
    ]


def test_recipients_are_split_into_files_of_the_most_notify_takes(
    council: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lists, "NOTIFY_FILE_ROWS", 2)

    done = _recipients(council, tmp_path / "email.csv", "email", "elector")

    assert done.files == (tmp_path / "email-1.csv", tmp_path / "email-2.csv")
    parts = [_csv_rows(path) for path in done.files]
    assert [len(p) for p in parts] == [3, 2]  # each with its header
    assert [r[4] for p in parts for r in p[1:]] == ["AB1-1", "AB1-2", "AB1-3"]


def test_an_xlsx_export_reads_back_with_no_cell_that_can_run(
    council: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "email.xlsx"
    _recipients(council, path, "email", "elector")

    sheet = fastexcel.read_excel(path).load_sheet(0).to_polars()
    assert sheet.get_column("email address").to_list() == [
        "bill@example.org",
        "smiths@example.com",
        "margaret@example.com",
    ]
    assert sheet.get_column("address").to_list()[2] == FORMULA
    with zipfile.ZipFile(path) as archive:
        xml = [
            archive.read(n)
            for n in archive.namelist()
            if n.startswith("xl/worksheets/")
        ]
    assert not any(b"<f>" in x or b"<f " in x for x in xml)


def test_follow_up_lists_who_needs_the_paper_form_and_why(
    council: Engine, tmp_path: Path
) -> None:
    with transaction(council) as session:
        done = export_follow_up(
            session, tmp_path / "follow.csv", day=TODAY, actor="tester"
        )

    rows = _csv_rows(tmp_path / "follow.csv")
    assert rows == [
        ["Elector Number", "Name", "Address", "Postcode", "Reason"],
        [
            "AB1-4",
            "Robert Brown",
            "4 Mill Lane",
            "ZZ1 1AC",
            "e-communication failed; no other contact",
        ],
        ["AB1-5", "Aisha Khan", "7 Mill Lane", "ZZ1 1AC", "no usable contact"],
        ["AB1-6", "Peter Jones", "9 Mill Lane", "ZZ1 1AC", "no usable contact"],
    ]
    assert done.rows == 3


def test_the_ems_update_holds_only_what_the_ems_does_not_have(
    council: Engine, tmp_path: Path
) -> None:
    with transaction(council) as session:
        export_ems_update(session, tmp_path / "ems.csv", day=TODAY, actor="tester")

    # William's preferred email is new from the canvass; everyone else's
    # preferred contacts came from the EMS itself.
    assert _csv_rows(tmp_path / "ems.csv") == [
        ["Elector Number", "Email", "Phone"],
        ["AB1-1", "bill@example.org", ""],
    ]


def test_every_export_is_private_and_audited_without_personal_data(
    council: Engine, tmp_path: Path
) -> None:
    _recipients(council, tmp_path / "email.csv", "email", "elector")
    with transaction(council) as session:
        export_follow_up(session, tmp_path / "follow.csv", day=TODAY, actor="tester")
        export_ems_update(session, tmp_path / "ems.csv", day=TODAY, actor="tester")

    for name in ("email.csv", "follow.csv", "ems.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    with transaction(council) as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.startswith("export."))
            .order_by(AuditEvent.id)
        ).all()
        logged = [(e.action, e.counts) for e in events]
        text = repr([(e.subject, e.counts, e.details) for e in events])
    assert logged == [
        ("export.recipients", {"rows": 3, "files": 1}),
        ("export.follow_up", {"rows": 3}),
        ("export.ems_update", {"rows": 1}),
    ]
    for personal in ("William", "Smith", "bill@example.org", "AB1-1", "07400"):
        assert personal not in text
