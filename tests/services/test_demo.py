"""The demo end to end, its figures at each step checked against the generator."""

from __future__ import annotations

import stat
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select

from contactable.checks.batch import check_email_column, check_phone_column
from contactable.services.demo import DemoFolderInUse, DemoResult, run_demo
from contactable.sources import read_table
from contactable.store import Elector, SourceRecord, make_engine, transaction

ELECTORS = 1_500


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    lines: list[str] = []
    result = run_demo(
        tmp_path_factory.mktemp("d") / "council",
        electors=ELECTORS,
        seed=5,
        say=lines.append,
    )
    result.figures["lines"] = lines
    return result


def _contacts(frame: pl.DataFrame) -> int:
    """How many contact values a file holds that are there at all."""
    emails = check_email_column(frame["Email"])
    phones = check_phone_column(frame["Phone"], dialling_code="0113")
    return int(
        (emails["status"] != "empty").sum() + (phones["status"] != "empty").sum()
    )


def test_every_step_is_said(demo: DemoResult) -> None:
    numbers = [line.split(".")[0] for line in demo.figures["lines"][:-1]]

    assert numbers == [str(n) for n in range(1, 15)]
    assert demo.figures["lines"][-1] == f"Done. Everything is in {demo.folder}"


def test_the_register_holds_every_elector_generated(demo: DemoResult) -> None:
    assert demo.figures["register"].records_created == demo.council.register.height


def test_council_tax_contacts_pass_the_gate_only_when_collected_under_the_notice(
    demo: DemoResult,
) -> None:
    tax = demo.council.council_tax.with_columns(
        day=pl.col("Last Updated").str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    )
    before = tax.filter(pl.col("day") < pl.date(2024, 4, 1))
    report = demo.figures["council-tax"]

    assert report.contacts_withheld == {"notice_not_in_effect": _contacts(before)}
    assert report.contacts_accepted == _contacts(tax) - _contacts(before)


def test_customer_service_contacts_are_all_withheld_without_an_agreement(
    demo: DemoResult,
) -> None:
    report = demo.figures["customer-service"]

    assert report.contacts_accepted == 0
    assert report.contacts_withheld == {
        "no_agreement": _contacts(demo.council.customer_service)
    }


def test_links_agree_with_who_is_who(demo: DemoResult) -> None:
    truth = demo.council.truth
    engine = make_engine(f"sqlite:///{demo.folder / 'contactable.db'}")
    with transaction(engine) as session:
        linked = session.execute(
            select(SourceRecord.document_reference, Elector.elector_number)
            .join(Elector, Elector.id == SourceRecord.elector_id)
            .where(SourceRecord.kind.in_(("council-tax", "customer-service")))
        ).all()
    engine.dispose()
    found = pl.DataFrame(
        [tuple(r) for r in linked],
        schema=["document_reference", "linked"],
        orient="row",
    )
    joined = found.join(truth, on="document_reference")

    right = joined.filter(pl.col("linked") == pl.col("elector_number")).height
    assert right / joined.height >= 0.995
    assert joined.filter(pl.col("co_resident")).height == 0


def test_no_recipient_rests_on_a_record_without_an_agreement(demo: DemoResult) -> None:
    recipients = read_table(demo.folder / "output" / "recipients-email.csv").frame
    council_only = set(
        check_email_column(demo.council.customer_service["Email"])["normalised"]
        .drop_nulls()
        .to_list()
    )
    elsewhere = set(
        pl.concat(
            [
                check_email_column(demo.council.register["Email"])["normalised"],
                check_email_column(demo.council.council_tax["Email"])["normalised"],
                check_email_column(
                    read_table(demo.folder / "input" / "canvass-responses.csv").frame[
                        "Email Address"
                    ]
                )["normalised"],
                check_email_column(
                    read_table(
                        demo.folder / "input" / "absent-vote-applications.csv"
                    ).frame["Email"]
                )["normalised"],
            ]
        )
        .drop_nulls()
        .to_list()
    )

    sent = set(recipients["email address"].to_list())
    assert sent
    assert not (sent & (council_only - elsewhere))


def test_failed_deliveries_make_contacts_undeliverable_and_go_to_follow_up(
    demo: DemoResult,
) -> None:
    report = read_table(demo.folder / "output" / "notify-report-email.csv").frame
    failed = report.filter(pl.col("Status") == "Email address does not exist")
    follow = read_table(demo.folder / "output" / "follow-up.csv").frame

    assert demo.figures["delivery_email"].made_undeliverable >= failed.height > 0
    assert follow.filter(pl.col("Reason").str.contains("failed")).height > 0
    emailed = set(
        read_table(demo.folder / "output" / "recipients-email.csv")
        .frame["elector number"]
        .to_list()
    )
    texted = set(
        read_table(demo.folder / "output" / "recipients-sms.csv")
        .frame["elector number"]
        .to_list()
    )
    unreachable = follow.filter(pl.col("Reason") == "no usable contact")
    assert not set(unreachable["Elector Number"].to_list()) & (emailed | texted)


def test_every_file_written_is_readable_by_its_owner_only(demo: DemoResult) -> None:
    files = [
        p
        for p in demo.folder.rglob("*")
        if p.is_file() and p.suffix != ".db" and not p.name.startswith("contactable.")
    ]

    assert {p.name for p in files} >= {
        "report.xlsx",
        "report.html",
        "review.xlsx",
        "follow-up.csv",
        "ems-update.csv",
    }
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_the_demo_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", "utf-8")

    with pytest.raises(DemoFolderInUse, match="has files in it already"):
        run_demo(tmp_path, electors=100)
