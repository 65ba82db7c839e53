"""The report on a small council built by hand, on SQLite and PostgreSQL.

Five electors at four properties in two polling districts; one of them has left.
Jo and Sam share a house; Al's contacts are all faulty or rest on an agreement
since revoked; Pat's mobile failed for good. Every figure below is worked out
from the rows here, by hand.
"""

from __future__ import annotations

import csv
import secrets
import stat
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.engine import make_url

from contactable.config import Settings
from contactable.governance import records
from contactable.linkage.probabilistic import SCORE_SCHEMA, Scores
from contactable.services import reporting
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.linking import link_records
from contactable.services.reporting import (
    SHEETS,
    AgreementFigures,
    Coverage,
    ReportFigures,
    ReportFormatError,
    _page,
    _workbook,
    gather_figures,
    write_report,
)
from contactable.sources import OutputNotWritable
from contactable.store import (
    AuditEvent,
    ContactPoint,
    DeliveryEvent,
    Elector,
    make_engine,
    transaction,
    upgrade,
)

SETTINGS = Settings()
IMPORTED_ON = date(2026, 8, 1)
DAY = date(2026, 9, 1)

REGISTER = [
    ["Elector Number", "First Name", "Surname", "Address 1", "Postcode", "UPRN",
     "Email", "Phone"],
    ["AA1-1", "Jo", "Bloggs", "1 High Street", "ZZ1 1AA", "100000000001",
     "jo@example.com", "07400 123456"],
    ["AA1-2", "Sam", "Bloggs", "1 High Street", "ZZ1 1AA", "100000000001", "", ""],
    ["AA1-3", "Al", "Smith", "2 High Street", "ZZ1 1AA", "100000000002",
     "al@gmial.com", "07400 12345"],
    ["AB1-1", "Pat", "Jones", "9 Low Road", "ZZ2 2BB", "100000000003", "",
     "07400 654321"],
    ["AB1-2", "Lee", "Wong", "11 Low Road", "ZZ2 2BB", "100000000004",
     "lee@example.com", ""],
]  # fmt: skip
# The privacy statement begins on 10 July: Sam's and Al's responses came before.
CANVASS = [
    ["Elector Number", "First Name", "Surname", "Email Address", "Telephone",
     "Date Received", "Document Reference"],
    ["AA1-1", "Jo", "Bloggs", "jo@example.com", "", "20/07/2026", "IMG-1"],
    ["AA1-2", "Sam", "Bloggs", "sam@example.com", "", "05/07/2026", "IMG-2"],
    ["AA1-3", "Al", "Smith", "", "07400 12345", "06/07/2026", "IMG-3"],
    ["AB1-1", "Pat", "Jones", "pat@example.com", "", "15/07/2026", "IMG-4"],
]  # fmt: skip
# Kim is not on the register, and her row has no date, so her email is withheld.
TAX = [
    ["Account Reference", "Full Name", "Address 1", "Postcode", "UPRN", "Email",
     "Last Updated"],
    ["CT-1", "Jo Bloggs", "1 High Street", "ZZ1 1AA", "100000000001",
     "jo.tax@example.com", "01/05/2026"],
    ["CT-2", "Al Smith", "2 High Street", "ZZ1 1AA", "100000000002",
     "al.tax@example.com", "01/05/2026"],
    ["CT-3", "Kim Lee", "5 High Street", "ZZ1 1AA", "", "kim@example.com", ""],
]  # fmt: skip
SERVICE = [
    ["Case Reference", "Full Name", "Address 1", "Postcode", "UPRN", "Mobile",
     "Last Updated"],
    ["CS-1", "Sam Bloggs", "1 High Street", "ZZ1 1AA", "100000000001",
     "07400 111222", "01/06/2026"],
]  # fmt: skip
PLANNING = [
    ["Reference", "Full Name", "Address 1", "Postcode", "Email"],
    ["PL-1", "Pat Jones", "9 Low Road", "ZZ2 2BB", "pat.planning@example.com"],
]  # fmt: skip

# Every contact value above, as recorded and as stored.
CONTACT_VALUES = [
    "jo@example.com", "al@gmial.com", "al@gmail.com", "lee@example.com",
    "sam@example.com", "pat@example.com", "jo.tax@example.com",
    "al.tax@example.com", "kim@example.com", "pat.planning@example.com",
    "07400 123456", "+447400123456", "07400 12345", "07400 654321",
    "+447400654321", "07400 111222", "+447400111222", "7400123456", "7400654321",
    "7400111222", "740012345",
]  # fmt: skip


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def _no_model(rest: pl.DataFrame, electors: pl.DataFrame, floor: float) -> Scores:
    # Every record here links exactly or not at all; the model is not under test.
    return Scores(pl.DataFrame(schema=SCORE_SCHEMA), 0, False)


def _governance(engine: Engine) -> None:
    with transaction(engine) as session:
        records.add_statement(
            session,
            reference="PS-2026",
            title="Canvass 2026",
            effective_from=date(2026, 7, 10),
            effective_to=None,
            url=None,
            actor="t",
        )
        for department, reference, kind, ends_on in (
            ("Council Tax", "DSA-CT", "council-tax", None),
            ("Customer Services", "DSA-CS", "customer-service", date(2026, 10, 15)),
            # Ends after the 60 days the report looks ahead, so it is not listed.
            ("Citizen Index", "DSA-CRI", "customer-records-index", date(2027, 3, 1)),
        ):  # fmt: skip
            records.add_agreement(
                session,
                department=department,
                reference=reference,
                kinds=[kind],
                covers_contact_details=True,
                starts_on=date(2026, 1, 1),
                ends_on=ends_on,
                actor="t",
            )
            records.add_notice(
                session,
                department=department,
                reference=f"PN-{reference}",
                kinds=[kind],
                covers_contact_disclosure=True,
                effective_from=date(2025, 1, 1),
                effective_to=None,
                actor="t",
            )


def _deliveries(engine: Engine) -> None:
    sent = datetime(2026, 8, 25, 9, tzinfo=UTC)
    outcomes = {
        ("AA1-1", "jo@example.com"): ("email", "delivered", False),
        ("AB1-1", "+447400654321"): ("sms", "permanent-failure", True),
        ("AA1-2", "+447400111222"): ("sms", "temporary-failure", False),
    }
    with transaction(engine) as session:
        for (number, value), (channel, status, permanent) in outcomes.items():
            point = session.scalars(
                select(ContactPoint)
                .join(Elector)
                .where(Elector.elector_number == number, ContactPoint.value == value)
            ).one()
            session.add(
                DeliveryEvent(
                    contact_point_id=point.id,
                    channel=channel,
                    status=status,
                    permanent=permanent,
                    occurred_at=sent,
                    source="notify-report",
                )
            )
            if permanent:
                point.deliverability = "undeliverable"
            elif status == "delivered":
                point.deliverability = "delivered"


def build_council(engine: Engine, folder: Path) -> None:
    """The small council this module reports on."""
    _governance(engine)
    files = {
        name: _csv(folder / f"{name}.csv", rows)
        for name, rows in (
            ("register", REGISTER),
            ("canvass", CANVASS),
            ("tax", TAX),
            ("service", SERVICE),
            ("planning", PLANNING),
        )
    }
    import_register(engine, files["register"], SETTINGS, actor="t", today=IMPORTED_ON)
    for name, kind, department in (
        ("canvass", "canvass-response", None),
        ("tax", "council-tax", None),
        ("service", "customer-service", None),
        ("planning", "local-record", "Planning"),
    ):
        import_records(
            engine,
            files[name],
            SETTINGS,
            kind=kind,
            actor="t",
            department=department,
            today=IMPORTED_ON,
        )
    link_records(engine, SETTINGS, actor="t", scorer=_no_model, today=IMPORTED_ON)
    with transaction(engine) as session:
        records.revoke_agreement(
            session, reference="DSA-CT", on=date(2026, 8, 20), reason="Ended", actor="t"
        )
        # Lee has left the register since; his contacts stay until purged.
        session.execute(
            update(Elector)
            .where(Elector.elector_number == "AB1-2")
            .values(status="left", left_on=date(2026, 8, 10))
        )
    _deliveries(engine)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def council(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The council, built once per database for the tests that only read it."""
    folder = tmp_path_factory.mktemp("council")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'contactable.db'}"
        drop = None
    else:
        server: Engine = request.getfixturevalue("postgresql_server")
        drop = f"contactable_test_{secrets.token_hex(6)}"
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{drop}"'))
        url = make_url(server.url).set(database=drop).render_as_string(False)
    upgrade(url)
    engine = make_engine(url)
    build_council(engine, folder)
    yield engine
    engine.dispose()
    if drop is not None:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def figures(council: Engine) -> ReportFigures:
    with council.connect() as connection:
        return gather_figures(connection, DAY)


@pytest.fixture(scope="module")
def written(
    council: Engine, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    return {
        suffix: write_report(
            council, folder / f"report.{suffix}", actor="alice", day=DAY
        ).path
        for suffix in ("xlsx", "html")
    }


def _rows(frame: pl.DataFrame) -> list[tuple[object, ...]]:
    return [tuple(row) for row in frame.iter_rows()]


def test_coverage_counts_current_electors_and_their_properties(
    figures: ReportFigures,
) -> None:
    # Emails: Jo, Sam (canvass), Pat (canvass); Al's is a suggestion and his
    # Council Tax one rests on a revoked agreement. Mobiles: Jo, and Sam's from
    # Customer Services; Pat's is undeliverable. Lee has left.
    assert figures.coverage == Coverage(
        electors=4,
        electors_with_email=3,
        electors_with_mobile=2,
        electors_with_either=3,
        properties=3,
        properties_with_email=2,
        properties_with_mobile=1,
        properties_with_either=2,
    )
    assert _rows(figures.districts) == [
        ("AA", 3, 2, 2, 2, 2, 1, 1, 1),
        ("AB", 1, 1, 0, 1, 1, 1, 0, 1),
    ]


def test_coverage_by_source_counts_a_contact_under_each_kind_it_was_seen_in(
    figures: ReportFigures,
) -> None:
    # Jo's email is on the register and on his canvass response.
    assert _rows(figures.sources) == [
        # kind, emails, mobiles, electors (email, mobile), properties (same)
        ("register", 1, 1, 1, 1, 1, 1),
        ("canvass-response", 3, 0, 3, 0, 2, 0),
        ("council-tax", 0, 0, 0, 0, 0, 0),
        ("customer-service", 0, 1, 0, 1, 0, 1),
    ]


def test_problems_are_counted_by_code_and_kind_of_source(
    figures: ReportFigures,
) -> None:
    assert sorted(_rows(figures.problems)) == [
        ("domain_typo", "email", "register", 1),
        ("too_short", "phone", "canvass-response", 1),
        ("too_short", "phone", "register", 1),
    ]
    assert sorted(_rows(figures.statuses)) == [
        ("canvass-response", "invalid", 1),
        ("canvass-response", "ok", 3),
        ("council-tax", "ok", 2),
        ("customer-service", "ok", 1),
        ("register", "invalid", 1),
        ("register", "ok", 4),
        ("register", "suggestion", 1),
    ]


def test_withheld_contacts_are_summed_by_department_kind_and_reason(
    figures: ReportFigures,
) -> None:
    assert _rows(figures.withheld) == [
        ("Council Tax", "council-tax", "collection_date_unknown", 1),
        ("Planning", "local-record", "no_agreement", 1),
    ]


def test_contacts_without_a_privacy_statement_are_counted_and_listed(
    figures: ReportFigures,
) -> None:
    # The register's rows carry no date; Sam's and Al's responses came before
    # the statement began. Al's register phone and response are one contact.
    assert _rows(figures.unstated) == [
        ("register", "email", 3, 3),
        ("register", "phone", 3, 3),
        ("canvass-response", "email", 1, 1),
        ("canvass-response", "phone", 1, 1),
    ]
    assert _rows(figures.unstated_electors) == [
        ("AA1-2", 1, 0, "canvass-response", date(2026, 7, 5), date(2026, 7, 5)),
        ("AA1-3", 0, 1, "canvass-response", date(2026, 7, 6), date(2026, 7, 6)),
    ]


def test_agreements_ending_soon_and_ended_ones_with_contacts_are_listed(
    figures: ReportFigures,
) -> None:
    assert figures.agreements == (
        AgreementFigures(
            reference="DSA-CT",
            department="Council Tax",
            record_kinds=("council-tax",),
            starts_on=date(2026, 1, 1),
            ends_on=None,
            revoked_on=date(2026, 8, 20),
            last_day=date(2026, 8, 19),
            ended=True,
            seen=2,
            usable=0,
            resting_only=2,
        ),
        AgreementFigures(
            reference="DSA-CS",
            department="Customer Services",
            record_kinds=("customer-service",),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 10, 15),
            revoked_on=None,
            last_day=date(2026, 10, 15),
            ended=False,
            seen=1,
            usable=1,
            resting_only=1,
        ),
    )


def test_deliveries_are_counted_by_channel_and_status(figures: ReportFigures) -> None:
    assert _rows(figures.deliveries) == [
        ("email", "delivered", False, 1, 1),
        ("sms", "permanent-failure", True, 1, 1),
        ("sms", "temporary-failure", False, 1, 1),
    ]
    assert _rows(figures.undeliverable) == [("email", 0, 0), ("phone", 1, 1)]


def _cell(value: object) -> object:
    # A column that mixes text and numbers is read as text; numbers are read
    # back as numbers, to six places.
    try:
        return round(float(str(value)), 6)
    except ValueError:
        return value


def _sheet(path: Path, name: str) -> list[list[object]]:
    frame = fastexcel.read_excel(path).load_sheet(name, header_row=None).to_polars()
    return [[_cell(v) for v in row] for row in frame.iter_rows()]


THIRD, TWO_THIRDS = round(1 / 3, 6), round(2 / 3, 6)


def _table(rows: list[list[object]], title: str) -> list[list[object]]:
    """The rows of the table under ``title``, header first, up to a blank row."""
    start = next(n for n, row in enumerate(rows) if row[0] == title)
    found = []
    for row in rows[start + 1 :]:
        if all(cell is None for cell in row):
            break
        found.append([cell for cell in row if cell is not None])
    # A note may stand between the title and the header.
    return found if found[0][0] != title else found[1:]


def test_the_workbook_has_a_sheet_per_section_and_the_listing(
    written: dict[str, Path],
) -> None:
    assert fastexcel.read_excel(written["xlsx"]).sheet_names == list(SHEETS)


def test_the_workbook_reads_back_with_the_figures(written: dict[str, Path]) -> None:
    summary = _sheet(written["xlsx"], "Summary")
    assert _table(summary, "Who can be reached by email or text")[1:] == [
        ["Usable contact", "Electors", "% of electors", "Properties",
         "% of properties"],
        ["Email", 3, 0.75, 2, TWO_THIRDS],
        ["Mobile", 2, 0.5, 1, THIRD],
        ["Email or mobile", 3, 0.75, 2, TWO_THIRDS],
        ["Neither: paper only", 1, 0.25, 1, THIRD],
    ]  # fmt: skip
    assert ["Report day", "2026-09-01"] in _table(summary, "The register")
    assert ["Current electors", 4] in _table(summary, "The register")

    districts = _table(_sheet(written["xlsx"], "Coverage"), "By polling district")
    assert districts[2:] == [
        ["AA", 3, 2, TWO_THIRDS, 2, TWO_THIRDS, 2, TWO_THIRDS, 2, 1, 0.5, 1, 0.5, 1,
         0.5],
        ["AB", 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1],
        ["All", 4, 3, 0.75, 2, 0.5, 3, 0.75, 3, 2, TWO_THIRDS, 1, THIRD, 2,
         TWO_THIRDS],
    ]  # fmt: skip

    listing = fastexcel.read_excel(written["xlsx"]).load_sheet("No privacy statement")
    assert listing.to_polars().rows() == [
        ("AA1-2", "email", "canvass response", "2026-07-05"),
        ("AA1-3", "phone", "canvass response", "2026-07-06"),
    ]


def test_the_workbook_has_a_chart_for_each_section_and_no_formula(
    written: dict[str, Path],
) -> None:
    with zipfile.ZipFile(written["xlsx"]) as archive:
        names = archive.namelist()
        sheets = [archive.read(n) for n in names if n.startswith("xl/worksheets/")]

    charts = [n for n in names if n.startswith("xl/charts/chart")]
    # Summary 1, Coverage 2, Quality 1, Compliance 1, Delivery 1.
    assert len(charts) == 6
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)


def test_the_page_holds_the_same_headline_figures(written: dict[str, Path]) -> None:
    page = written["html"].read_text("utf-8")

    for shown in (
        '<td>Email</td><td class="n">3</td><td class="n">75.0%</td>'
        '<td class="n">2</td><td class="n">66.7%</td>',
        '<td>Mobile</td><td class="n">2</td><td class="n">50.0%</td>'
        '<td class="n">1</td><td class="n">33.3%</td>',
        '<td>Current electors</td><td class="n">4</td>',
        '<td>Properties with a current elector</td><td class="n">3</td>',
        '<td>Report day</td><td class="n">2026-09-01</td>',
        "<td>AA1-2</td>",
        "<td>DSA-CT</td>",
    ):
        assert shown in page
    # No script, nothing fetched: the page stands alone.
    assert "<script" not in page
    assert "http" not in page.replace('http-equiv="Content-Security-Policy"', "")


def test_no_contact_value_is_anywhere_in_either_file(
    written: dict[str, Path],
) -> None:
    with zipfile.ZipFile(written["xlsx"]) as archive:
        workbook = b"".join(archive.read(name) for name in archive.namelist())
    page = written["html"].read_bytes()

    for value in CONTACT_VALUES:
        assert value.encode() not in workbook, value
        assert value.encode() not in page, value


def test_each_file_is_readable_by_its_owner_only(written: dict[str, Path]) -> None:
    for path in written.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_report_over_an_older_readable_file_is_private_too(
    council: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    target.chmod(0o644)

    write_report(council, target, actor="alice", day=DAY)

    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_each_report_is_audited_with_counts_only(
    council: Engine, tmp_path: Path
) -> None:
    write_report(council, tmp_path / "r.xlsx", actor="bob", day=DAY)

    with transaction(council) as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "report", AuditEvent.actor == "bob"
            )
        ).one()
    assert event.counts == {
        "electors": 4,
        "electors_with_email": 3,
        "electors_with_mobile": 2,
        "properties": 3,
        "properties_with_email": 2,
        "properties_with_mobile": 1,
        "polling_districts": 2,
        "electors_listed_without_statement": 2,
        "agreements_listed": 2,
    }
    assert event.details == {"format": "xlsx", "day": "2026-09-01"}
    assert event.file_sha256 is not None and len(event.file_sha256) == 64


def test_a_name_that_is_neither_a_workbook_nor_a_page_is_refused(
    council: Engine, tmp_path: Path
) -> None:
    with pytest.raises(ReportFormatError) as caught:
        write_report(council, tmp_path / "report.pdf", actor="alice", day=DAY)

    assert str(caught.value) == (
        "Name the report with .xlsx for a workbook or .html for a web page, for "
        "example report.xlsx, not report.pdf."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_listing_longer_than_a_sheet_goes_on_to_the_next(
    council: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Excel's limit, a million rows, stood in for by one.
    monkeypatch.setattr(_workbook, "LISTING_ROWS_PER_SHEET", 1)

    path = write_report(council, tmp_path / "r.xlsx", actor="alice", day=DAY).path

    reader = fastexcel.read_excel(path)
    assert reader.sheet_names[-2:] == [
        "No privacy statement",
        "No privacy statement (2)",
    ]
    assert reader.load_sheet("No privacy statement").to_polars().get_column(
        "Elector number"
    ).to_list() == ["AA1-2"]
    assert reader.load_sheet("No privacy statement (2)").to_polars().get_column(
        "Elector number"
    ).to_list() == ["AA1-3"]


def test_the_page_shows_the_start_of_a_long_listing_and_says_so(
    council: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_page, "PAGE_LISTING_ROWS", 1)

    path = write_report(council, tmp_path / "r.html", actor="alice", day=DAY).path

    page = path.read_text("utf-8")
    assert (
        "The first 1 of 2 are shown here; the report written as a workbook (.xlsx) "
        "lists them all." in page
    )
    assert "<td>AA1-2</td>" in page
    assert "<td>AA1-3</td>" not in page


def test_an_empty_database_gives_a_report_of_noughts(
    engine: Engine, tmp_path: Path
) -> None:
    figures = write_report(engine, tmp_path / "r.xlsx", actor="a", day=DAY).figures
    page = write_report(engine, tmp_path / "r.html", actor="a", day=DAY).path

    assert figures.coverage == Coverage(0, 0, 0, 0, 0, 0, 0, 0)
    assert figures.districts.is_empty() and figures.agreements == ()
    assert fastexcel.read_excel(tmp_path / "r.xlsx").sheet_names == list(SHEETS)
    summary = _table(_sheet(tmp_path / "r.xlsx", "Summary"), "The register")
    assert ["Current electors", 0] in summary
    assert "No contact has been withheld." in page.read_text("utf-8")


def test_text_from_files_and_commands_is_shown_never_run(
    engine: Engine, tmp_path: Path
) -> None:
    # A department is named by whoever imports its records.
    hostile = '=HYPERLINK("http://x")<script>'
    import_records(
        engine,
        _csv(tmp_path / "planning.csv", PLANNING),
        SETTINGS,
        kind="local-record",
        actor="t",
        department=hostile,
        today=IMPORTED_ON,
    )

    workbook = write_report(engine, tmp_path / "r.xlsx", actor="a", day=DAY).path
    page = write_report(engine, tmp_path / "r.html", actor="a", day=DAY).path

    compliance = _sheet(workbook, "Compliance")
    department = _table(
        compliance, "Contacts withheld, by department and kind of record"
    )
    assert department[1] == [hostile, "Local record", "no_agreement", 1]
    with zipfile.ZipFile(workbook) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if "worksheets/" in n]
    assert not any(b"<f>" in sheet for sheet in sheets)
    assert "<script>" not in page.read_text("utf-8")
    assert "=HYPERLINK(&quot;http://x&quot;)&lt;script&gt;" in page.read_text("utf-8")


def test_the_package_exports_its_public_names_once_in_order() -> None:
    exported = reporting.__all__

    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))
    assert len(set(exported)) == len(exported)
    assert all(hasattr(reporting, name) for name in exported)


def test_a_report_that_cannot_be_saved_is_not_audited(
    council: Engine, tmp_path: Path
) -> None:
    # A folder stands where the file should go.
    (tmp_path / "r.xlsx").mkdir()
    with transaction(council) as session:
        before = len(session.scalars(select(AuditEvent)).all())

    with pytest.raises(OutputNotWritable):
        write_report(council, tmp_path / "r.xlsx", actor="alice", day=DAY)

    with transaction(council) as session:
        assert len(session.scalars(select(AuditEvent)).all()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]
