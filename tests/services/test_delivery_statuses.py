"""Reading delivery news without a database: Notify's statuses, times and
columns, and files and mailboxes that cannot be read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import contactable.services.delivery as delivery
from contactable.services.delivery import (
    MailboxMissing,
    NotAMailbox,
    NotANotifyReport,
    Outcome,
    contact_value,
    read_notify_report,
    status_from_code,
    status_from_words,
)
from contactable.services.delivery.bounces import mailbox_messages
from contactable.services.delivery.notify_report import (
    find_report_columns,
    parse_report_time,
)
from contactable.services.importing.report import ImportNotPossible, ImportRejected

DATA = Path(__file__).parent.parent / "data" / "delivery"


@pytest.mark.parametrize(
    ("words", "code", "outcome"),
    [
        # notifications-api's Notification.formatted_status, as downloaded.
        ("Delivered", "delivered", Outcome.DELIVERED),
        ("Email address doesn’t exist", "permanent-failure", Outcome.PERMANENT_FAILURE),
        ("Phone number doesn’t exist", "permanent-failure", Outcome.PERMANENT_FAILURE),
        (
            "Inbox not accepting messages right now",
            "temporary-failure",
            Outcome.TEMPORARY_FAILURE,
        ),
        (
            "Phone not accepting messages right now",
            "temporary-failure",
            Outcome.TEMPORARY_FAILURE,
        ),
        ("Technical failure", "technical-failure", Outcome.TECHNICAL_FAILURE),
        ("Failed", "failed", Outcome.TECHNICAL_FAILURE),
        ("Sending", "sending", Outcome.NOT_FINAL),
        ("Sent internationally", "sent", Outcome.NO_RECEIPT),
        # Older downloads, and the apostrophe a spreadsheet straightens.
        (
            "Email address does not exist",
            "permanent-failure",
            Outcome.PERMANENT_FAILURE,
        ),
        ("Phone number doesn't exist", "permanent-failure", Outcome.PERMANENT_FAILURE),
        # notifications-admin's dashboard labels.
        ("Not delivered", "permanent-failure", Outcome.PERMANENT_FAILURE),
        ("Delivering", "sending", Outcome.NOT_FINAL),
        ("Sent to an international number", "sent", Outcome.NO_RECEIPT),
        # The API's own codes, as some exports hold them.
        ("permanent-failure", "permanent-failure", Outcome.PERMANENT_FAILURE),
        (" PENDING ", "pending", Outcome.NOT_FINAL),
        ("created", "created", Outcome.NOT_FINAL),
    ],
)
def test_each_wording_of_a_report_gives_notify_s_code_and_its_outcome(
    words: str, code: str, outcome: Outcome
) -> None:
    status = status_from_words(words)

    assert status is not None
    assert (status.code, status.outcome) == (code, outcome)


@pytest.mark.parametrize(
    ("code", "outcome", "final"),
    [
        ("delivered", Outcome.DELIVERED, True),
        ("permanent-failure", Outcome.PERMANENT_FAILURE, True),
        ("temporary-failure", Outcome.TEMPORARY_FAILURE, True),
        ("technical-failure", Outcome.TECHNICAL_FAILURE, True),
        ("failed", Outcome.TECHNICAL_FAILURE, True),
        ("sent", Outcome.NO_RECEIPT, True),
        ("created", Outcome.NOT_FINAL, False),
        ("sending", Outcome.NOT_FINAL, False),
        ("pending", Outcome.NOT_FINAL, False),
        # A code Notify may add later is kept, and counts for nothing.
        ("validation-failed", Outcome.UNRECOGNISED, True),
    ],
)
def test_each_code_of_the_api_has_its_outcome(
    code: str, outcome: Outcome, final: bool
) -> None:
    status = status_from_code(code)

    assert (status.code, status.outcome, status.is_final) == (code, outcome, final)


def test_words_notify_never_gives_are_not_taken_for_a_status() -> None:
    assert status_from_words("Lost in the post") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # UK time, as Notify's downloads give it: BST in June, GMT in January.
        ("2026-06-01 10:00:00", datetime(2026, 6, 1, 9, 0, tzinfo=UTC)),
        ("2026-01-05 10:00:00", datetime(2026, 1, 5, 10, 0, tzinfo=UTC)),
        ("2026-06-01T10:00:00.000000Z", datetime(2026, 6, 1, 10, 0, tzinfo=UTC)),
        ("01/06/2026 10:00", datetime(2026, 6, 1, 9, 0, tzinfo=UTC)),
        ("Monday 01 June 2026 at 10:00", datetime(2026, 6, 1, 9, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_report_times_are_read_as_uk_time(text: str, expected: datetime | None) -> None:
    assert parse_report_time(text) == expected


def test_notify_s_own_columns_are_told_from_an_upload_s_of_the_same_name() -> None:
    headers = ["Row number", "Email_Address", "Status", "Type", "Template", "Type (2)"]
    headers += ["Job", "Status (2)", "Created at"]

    columns = find_report_columns(headers)

    assert columns is not None
    assert (columns.email, columns.status, columns.type, columns.time) == (
        "Email_Address",
        "Status (2)",
        "Type (2)",
        "Created at",
    )


@pytest.mark.parametrize(
    ("channel", "recipient", "value"),
    [
        ("email", " Jo.Bloggs@EXAMPLE.com ", "Jo.Bloggs@example.com"),
        ("sms", "07700 900123", "07700 900123"),
        ("email", "  ", None),
    ],
)
def test_a_recipient_is_put_in_the_form_a_contact_point_keeps(
    channel: str, recipient: str, value: str | None
) -> None:
    # A drama number is not valid, so it is kept as written, as imports keep it.
    assert contact_value(channel, recipient) == value


def test_a_file_that_is_not_a_notify_report_says_so() -> None:
    with pytest.raises(NotANotifyReport) as raised:
        read_notify_report(DATA / "not_a_report.csv")

    assert str(raised.value) == (
        f"{DATA / 'not_a_report.csv'} does not look like a delivery report from "
        "GOV.UK Notify: it needs a 'Status' column and an 'email address', 'phone "
        "number' or 'Recipient' column. Download the report from Notify again."
    )


def test_every_row_that_cannot_be_read_is_listed_and_nothing_is_taken() -> None:
    with pytest.raises(ImportRejected) as raised:
        read_notify_report(DATA / "unknown_status.csv")

    assert str(raised.value) == (
        "Nothing was imported: 2 rows of unknown_status.csv cannot be taken. Put "
        "them right and import the file again. row 3: the status 'Lost in the "
        "post' is not one GOV.UK Notify gives; row 4: the time is not a date and "
        "time such as 2026-06-01 10:00:00."
    )


def test_a_report_with_both_recipient_columns_and_no_type_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "both.csv"
    path.write_text(
        "email address,phone number,Status,Time\n"
        "jo.bloggs@example.com,07700 900001,Delivered,2026-06-01 10:00:00\n",
        "utf-8",
    )

    with pytest.raises(ImportNotPossible) as raised:
        read_notify_report(path)

    assert str(raised.value) == (
        "both.csv has both an email address and a phone number column and no Type "
        "column, so which the messages went to cannot be told. Import the report "
        "exactly as GOV.UK Notify gave it."
    )


def test_a_missing_mailbox_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(MailboxMissing) as raised:
        list(mailbox_messages(tmp_path / "nowhere.mbox"))

    assert str(raised.value) == (
        f"No mailbox at {tmp_path / 'nowhere.mbox'}. Give an mbox file or a "
        "Maildir folder."
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "notify_email_job.csv",
            "{path} is not an mbox file: it does not begin with a 'From ' line. "
            "Export the mail folder from your mail program as mbox.",
        ),
        (
            "",
            "{path} is a folder but not a Maildir: a Maildir has 'cur' and 'new' "
            "folders in it. Give a Maildir folder or an mbox file.",
        ),
    ],
)
def test_something_that_is_not_a_mailbox_says_so(name: str, message: str) -> None:
    path = DATA / name if name else DATA

    with pytest.raises(NotAMailbox) as raised:
        list(mailbox_messages(path))

    assert str(raised.value) == message.format(path=path)


def test_the_package_lists_everything_it_exports() -> None:
    public = {
        name
        for name in dir(delivery)
        if not name.startswith("_")
        and getattr(getattr(delivery, name), "__module__", "").startswith(
            "contactable.services.delivery."
        )
    }

    assert set(delivery.__all__) == public
