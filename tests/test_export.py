"""Exports of events (ACLED + PLOVER columns) and situations, from the library, the CLI and the API."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from desk_store import desk_store
from interbellum import InputError
from interbellum.cli import cli
from interbellum.desk import create_app
from interbellum.export import EVENT_COLUMNS, SITUATION_COLUMNS, export_file

ACLED = ["event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
         "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"]
PLOVER = ["plover_type", "mode"]


@pytest.fixture(scope="module")
def db():
    return desk_store()


@pytest.fixture(scope="module")
def rows(db):
    buf = io.BytesIO()
    export_file(db, "events", "csv", buf)
    return list(csv.DictReader(io.StringIO(buf.getvalue().decode("utf-8"))))


def test_event_columns_are_acled_then_plover(rows):
    assert set(ACLED + PLOVER) <= set(rows[0])
    assert list(rows[0]) == EVENT_COLUMNS


def test_event_values_follow_acled_conventions(rows):
    assert len(rows) > 20
    for row in rows:
        assert row["plover_type"] and row["notes"] and row["source"]
        assert row["time_precision"] in {"", "1", "2", "3"} and row["geo_precision"] in {"", "1", "2", "3"}
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90 and row["geo_precision"]
        if row["sub_event_type"]:
            assert row["event_type"] and " / " not in row["sub_event_type"]
        if row["event_date"]:
            assert row["year"] == row["event_date"][:4]
    dated = [r["event_date"] for r in rows if r["event_date"]]
    assert dated == sorted(dated)
    assert any(r["country"] == "Niger" and r["iso3"] == "NER" for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_every_format_round_trips_the_same_rows(db, rows, tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    n = export_file(db, "events", fmt, out)
    assert n == len(rows)
    if fmt == "parquet":
        table = pq.read_table(out)
        assert table.column_names == EVENT_COLUMNS and table.num_rows == n
        back = table.to_pylist()
        assert [r["event_id_cnty"] for r in back] == [r["event_id_cnty"] for r in rows]
        assert str(table.schema.field("latitude").type) == "double"
        assert str(table.schema.field("fatalities").type) == "int64"
    elif fmt == "jsonl":
        back = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [r["notes"] for r in back] == [r["notes"] for r in rows]
    elif fmt == "geojson":
        fc = json.loads(out.read_text(encoding="utf-8"))
        assert fc["type"] == "FeatureCollection" and len(fc["features"]) == n
        placed = [f for f in fc["features"] if f["geometry"]]
        assert placed and all(f["geometry"]["coordinates"] == [f["properties"]["longitude"],
                                                               f["properties"]["latitude"]] for f in placed)
    else:
        assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(EVENT_COLUMNS)


def test_situations_export_has_its_own_columns(db, tmp_path):
    out = tmp_path / "situations.csv"
    export_file(db, "situations", "csv", out)
    assert out.read_text(encoding="utf-8").splitlines()[0].split(",") == SITUATION_COLUMNS


@pytest.mark.parametrize(("table", "fmt"), [("people", "csv"), ("events", "xlsx")])
def test_unknown_table_or_format_is_refused(db, tmp_path, table, fmt):
    with pytest.raises(InputError, match=table if table == "people" else fmt):
        export_file(db, table, fmt, tmp_path / "x")


def test_cli_export(db, tmp_path):
    out = tmp_path / "e.parquet"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows > 20
    stdout = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "jsonl"])
    assert stdout.exit_code == 0 and json.loads(stdout.output.splitlines()[0])["plover_type"]
    bad = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "xlsx"])
    assert bad.exit_code == 2


@pytest.mark.parametrize(("name", "media"), [
    ("events.csv", "text/csv"), ("events.jsonl", "application/x-ndjson"),
    ("events.geojson", "application/geo+json"), ("events.parquet", "application/vnd.apache.parquet"),
    ("situations.jsonl", "application/x-ndjson"),
])
def test_api_downloads(db, name, media):
    with TestClient(create_app(db)) as client:
        r = client.get(f"/api/export/{name}")
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert name in r.headers["content-disposition"]
    if name == "events.parquet":
        assert pq.read_table(io.BytesIO(r.content)).column_names == EVENT_COLUMNS
