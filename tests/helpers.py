"""Paths and builders of test files shared by the tests (imported as `helpers`)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "data" / "real"
ACLED_REAL = REAL / "acled_hdx_mli_bfa_ner_2020-08-03.csv"
UCDP_REAL = REAL / "ucdp_ged_v23_1_sample_mli_bfa_ner.csv"
#: ACLED's public aggregate for Burkina Faso (HDX workbook, political violence, as of 3 Apr 2025) and HDX HAPI rows.
HDX_BFA_REAL = REAL / "acled_hdx_bfa_political_violence_admin2_month_1997-01_to_2025-03_asof_2025-04-03.csv"
HAPI_REAL = REAL / "hdx_hapi_conflict_event_mli_bfa_ner_jan1997_jan2025.csv"
BFA_PCODES_REAL = REAL / "adm2_bfa_ocha_codab_20200323_attributes_only.csv"

needs_aggregate_data = pytest.mark.skipif(
    not (HDX_BFA_REAL.exists() and HAPI_REAL.exists()),
    reason=f"ACLED's aggregate tables are not available: {HDX_BFA_REAL.name} or {HAPI_REAL.name} is missing from {REAL}",
)

needs_real_data = pytest.mark.skipif(
    not ACLED_REAL.exists(),
    reason=f"real data not available: {REAL} is missing (it sits beside the checkout on the team's machines)",
)


# A current-style (2023+) ACLED export: lower-case columns, text inter codes, civilian_targeting.
ACLED_CURRENT_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
)


def acled_row(
    event_id="MLI1", date="2019-03-23", year=None, event_type="Violence against civilians", sub="Attack",
    actor1="Armed group X", actor2="Civilians (Mali)", inter1="Identity militia", inter2="Civilians",
    civilian="Civilian targeting", country="Mali", admin1="Mopti", admin2="Bankass", location="Ogossagou",
    lat="14.2490", lon="-3.6300", geo_precision="1", fatalities="3", notes="test event", timestamp="1600000000",
    iso="466",
) -> str:
    year = year if year is not None else date[:4]
    values = [
        event_id, date, year, "1", "Political violence", event_type, sub, actor1, "", inter1, actor2, "", inter2,
        f"{inter1}-{inter2}", civilian, iso, "Western Africa", country, admin1, admin2, "", location, lat, lon,
        geo_precision, "Test source", "National", notes, fatalities, "", timestamp,
    ]
    return ",".join('"' + str(v).replace('"', '""') + '"' if any(c in str(v) for c in ',"\n') else str(v) for v in values)


def acled_csv(*rows: str) -> str:
    return ACLED_CURRENT_HEADER + "\n" + "\n".join(rows) + "\n"


# UCDP's web download, as issue 18 describes it, written from real GED rows (never stored in the repository).


def _us_date(iso):
    import pandas as pd

    return pd.to_datetime(iso).dt.strftime("%m/%d/%Y 00:00:00")


#: The columns of UCDP's web download: the release's, less gwnoa and gwnob, with the estimates renamed;
#: 47 names, the last one `low_est`.
WEB_RENAMED = {"best": "best_est", "high": "high_est", "low": "low_est"}


def web_download(frame):
    """The release rows as UCDP's web download writes them (47 columns; dates MM/DD/YYYY 00:00:00)."""
    frame = frame.drop(columns=["gwnoa", "gwnob"]).rename(columns=WEB_RENAMED)
    for column in ("date_start", "date_end"):
        frame[column] = _us_date(frame[column])
    # Articles separated by a line break inside the quoted field, as the web download has them.
    frame["source_article"] = frame["source_article"].str.replace('";"', '";\n"', n=1, regex=False)
    return frame


def write_web_download(frame, path, *, extra: dict[int, str] | None = None) -> None:
    """
    Write `frame` (web-download columns) as UCDP's website does: the header line holds the 47 names and
    no trailing comma; every data row has 48 fields, the last one empty (a comma after `low_est`); CRLF.
    `extra` puts a value into the 48th field of the rows at these positions.
    """
    extra = extra or {}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(frame.columns)
        for i, row in enumerate(frame.itertuples(index=False)):
            writer.writerow([*row, extra.get(i, "")])


def ucdp_web_download(n: int, path: Path, *, extra: dict[int, str] | None = None) -> Path:
    """A web download of `n` events (the issue's Burkina Faso file has 1,504) made of the real GED rows, fresh ids."""
    import pandas as pd

    release = pd.read_csv(UCDP_REAL, dtype=str, keep_default_na=False)
    rows = release.iloc[[i % len(release) for i in range(n)]].reset_index(drop=True)
    rows["id"] = [str(900_000 + i) for i in range(n)]
    write_web_download(web_download(rows), path, extra=extra)
    return path


PG_URL_ENV = "ATLAS_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def new_store_url(backend: str, tmp_path: Path) -> tuple[str, object]:
    """A URL of an empty store on `backend`, and a function that removes it afterwards.

    PostgreSQL stores are schemas of their own in the test database (`ATLAS_TEST_PG_URL`, started by
    .ci/run), so tests never see each other's tables; without a server the test is skipped, saying why.
    """
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}", lambda: None
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_URL_ENV} (.ci/run starts one)")
    import uuid

    import sqlalchemy as sa

    schema = f"atlas_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()

    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", drop


def check_png(data: bytes) -> tuple[int, int]:
    """A real PNG that is not blank (varied pixels, many colours, as a map or a chart has): its size in pixels."""
    import io

    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    pixels = np.asarray(image.convert("RGB"), dtype=float)
    assert pixels.std() > 20, "the image is (nearly) one colour"
    assert len(np.unique(pixels.reshape(-1, 3)[::97], axis=0)) > 30, "too few colours for a map or a chart"
    return image.size
