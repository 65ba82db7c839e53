"""Precision and recall of ``contactable link`` on a synthetic council, beside a
recordlinkage (ECM) baseline on the same data.

    python bench/link_accuracy.py --electors 20000 --seed 1

The council (contactable.synthetic.council) is imported through the real
register and council record imports into a new SQLite database and linked by
the real service. Each council record's true elector is known, so:

- precision: links to the right elector / all links made;
- recall: links to the right elector / records whose person is registered;
- co-residents linked: unregistered people living with registered electors
  who were linked to an elector anyway, as a share of all such people.

Targets: precision >= 0.995, recall >= 0.99, co-residents linked < 0.1%.
The baseline compares the same frames with the same blocking (postcode or
UPRN), five agreement features and recordlinkage's ECM classifier, keeping
each record's most likely match.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import select

from contactable.config import Settings
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.linking import link_records
from contactable.store import (
    DataSharingAgreement,
    Elector,
    PrivacyNotice,
    SourceRecord,
    make_engine,
    transaction,
    upgrade,
)
from contactable.synthetic.council import Council, synthetic_council

KINDS = {"council-tax": "council_tax", "customer-service": "customer_service"}


@dataclass(frozen=True)
class Accuracy:
    """The figures for one method."""

    links: int
    precision: float
    recall: float
    co_residents_linked: float


def _write(frame: pl.DataFrame, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(frame.columns)
        writer.writerows(frame.iter_rows())
    return path


def load(council: Council, folder: Path) -> str:
    """Import the council into a new SQLite database; returns its URL."""
    url = f"sqlite:///{folder / 'accuracy.db'}"
    upgrade(url)
    engine = make_engine(url)
    settings = Settings()
    import_register(
        engine,
        _write(council.register, folder / "register.csv"),
        settings,
        actor="bench",
    )
    with transaction(engine) as session:
        for department, kind in (
            ("Council Tax", "council-tax"),
            ("Customer Services", "customer-service"),
        ):
            session.add(
                DataSharingAgreement(
                    department=department,
                    reference=f"DSA-{kind}",
                    record_kinds=[kind],
                    covers_contact_details=True,
                    starts_on=date(2020, 1, 1),
                )
            )
            session.add(
                PrivacyNotice(
                    department=department,
                    reference=f"PN-{kind}",
                    record_kinds=[kind],
                    covers_contact_disclosure=True,
                    effective_from=date(2020, 1, 1),
                )
            )
    for kind, attribute in KINDS.items():
        frame = getattr(council, attribute)
        import_records(
            engine,
            _write(frame, folder / f"{kind}.csv"),
            settings,
            kind=kind,
            actor="bench",
        )
    engine.dispose()
    return url


def linked_pairs(url: str) -> pl.DataFrame:
    """Each council record's reference and kind, with its linked elector number."""
    engine = make_engine(url)
    records, electors = SourceRecord.__table__, Elector.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                records.c.kind, records.c.document_reference, electors.c.elector_number
            )
            .select_from(
                records.outerjoin(electors, records.c.elector_id == electors.c.id)
            )
            .where(records.c.kind.in_(list(KINDS)))
        ).all()
    engine.dispose()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        orient="row",
        schema={
            "source": pl.String,
            "document_reference": pl.String,
            "linked_number": pl.String,
        },
    )


def score(truth: pl.DataFrame, linked: pl.DataFrame) -> Accuracy:
    """Precision, recall and the co-resident rate of one method's links."""
    joined = truth.join(linked, on=["source", "document_reference"], how="left")
    made = joined.filter(pl.col("linked_number").is_not_null())
    right = made.filter(pl.col("linked_number") == pl.col("elector_number")).height
    registered = joined.filter(pl.col("elector_number").is_not_null()).height
    co_residents = joined.filter(pl.col("co_resident"))
    wrongly = co_residents.filter(pl.col("linked_number").is_not_null()).height
    return Accuracy(
        links=made.height,
        precision=right / made.height if made.height else 1.0,
        recall=right / registered if registered else 1.0,
        co_residents_linked=wrongly / co_residents.height
        if co_residents.height
        else 0.0,
    )


def baseline(url: str) -> pl.DataFrame:
    """recordlinkage's ECM on the same records and electors."""
    import recordlinkage

    from contactable.linkage.people import comparable
    from contactable.services import linking

    engine = make_engine(url)
    with engine.connect() as connection:
        records = comparable(linking.unlinked_records(connection), "id")
        electors = comparable(linking.current_electors(connection), "id")
        numbers = dict(
            connection.execute(select(Elector.id, Elector.elector_number)).all()
        )
        references = {
            row[0]: (row[1], row[2])
            for row in connection.execute(
                select(
                    SourceRecord.id, SourceRecord.kind, SourceRecord.document_reference
                )
            ).all()
        }
    engine.dispose()

    left = (
        records.select(
            "unique_id", "forename", "surname", "postcode", "uprn", "premises"
        )
        .to_pandas()
        .set_index("unique_id")
    )
    right = (
        electors.select(
            "unique_id", "forename", "surname", "postcode", "uprn", "premises"
        )
        .to_pandas()
        .set_index("unique_id")
    )
    indexer = recordlinkage.Index()
    indexer.block("postcode")
    indexer.block("uprn")
    candidates = indexer.index(left, right)
    compare = recordlinkage.Compare()
    compare.exact("surname", "surname", label="surname")
    compare.string(
        "forename", "forename", method="jarowinkler", threshold=0.85, label="forename"
    )
    compare.exact("postcode", "postcode", label="postcode")
    compare.exact("uprn", "uprn", label="uprn")
    compare.exact("premises", "premises", label="premises")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        features = compare.compute(candidates, left, right)
        classifier = recordlinkage.ECMClassifier(binarize=None)
        matches = classifier.fit_predict(features)
        probabilities = classifier.prob(features)
    chosen = (
        pl.DataFrame(
            {
                "record": [m[0] for m in matches],
                "elector": [m[1] for m in matches],
                "probability": probabilities.loc[matches].to_numpy(),
            }
        )
        .sort("probability", descending=True)
        .unique("record", keep="first")
    )
    print(f"  recordlinkage compared {len(candidates):,} pairs")
    return pl.DataFrame(
        [
            (*references[r], numbers[e])
            for r, e in chosen.select("record", "elector").iter_rows()
        ],
        schema={
            "source": pl.String,
            "document_reference": pl.String,
            "linked_number": pl.String,
        },
        orient="row",
    )


def _print(name: str, result: Accuracy) -> None:
    print(
        f"{name:>14}: {result.links:,} links, precision {result.precision:.4f}, "
        f"recall {result.recall:.4f}, co-residents linked "
        f"{result.co_residents_linked:.3%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true")
    arguments = parser.parse_args()

    council = synthetic_council(arguments.electors, arguments.seed)
    truth = council.truth
    print(
        f"{council.register.height:,} electors; "
        f"{council.council_tax.height:,} council tax and "
        f"{council.customer_service.height:,} customer service records; "
        f"{truth.filter(pl.col('co_resident')).height:,} of them unregistered "
        "co-residents"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = load(council, Path(folder))
        # The baseline reads the records before they are linked.
        theirs = None if arguments.no_baseline else baseline(url)
        started = time.perf_counter()
        report = link_records(make_engine(url), Settings(), actor="bench")
        seconds = time.perf_counter() - started
        print(f"  contactable linked in {seconds:.1f} s: {report.counts()}")
        _print("contactable", score(truth, linked_pairs(url)))
        if theirs is not None:
            _print("recordlinkage", score(truth, theirs))


if __name__ == "__main__":
    main()
