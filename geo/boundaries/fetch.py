"""Fetching geoBoundaries gbOpen admin 1 and 2 (needs the internet: only on an operator's request) and registering them."""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from ..config import Settings, get_settings
from ..countries import CORE_COUNTRIES
from ..errors import BoundaryError
from .register import RegistrationReport, register_boundary_set

GEOBOUNDARIES_API = "https://www.geoboundaries.org/api/current/gbOpen"


def _http_get(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "sahel-atlas"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise BoundaryError(f"{url} answered HTTP {exc.code}; check the country code and level") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BoundaryError(
            f"cannot reach {url} ({reason}); this machine may be offline — register a downloaded file with "
            "`python -m geo boundaries add FILE` instead"
        ) from None


def fetch_geoboundaries(
    *,
    name: str = "geoboundaries",
    countries: tuple[str, ...] = CORE_COUNTRIES,
    levels: tuple[str, ...] = ("admin1", "admin2"),
    api_base: str = GEOBOUNDARIES_API,
    timeout: float = 60.0,
    settings: Settings | None = None,
) -> list[RegistrationReport]:
    """Download geoBoundaries gbOpen layers (CC BY 4.0) and register them as one set.

    For each country and level, the API answers JSON metadata whose `gjDownloadURL` points at the
    GeoJSON; source, licence, boundary year and download date are recorded in the set's provenance.
    Everything is downloaded first, so a failure registers nothing.

    Parameters
    ----------
    name
        The set to create or extend.
    countries
        ISO3 codes of the countries.
    levels
        The levels to fetch ("admin1", "admin2").
    api_base
        The API root (a mirror may be given).
    timeout
        Seconds to wait for each download.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    list[RegistrationReport]
        What registering each level did.
    """
    settings = settings or get_settings()
    if not api_base.startswith(("http://", "https://")):
        raise BoundaryError(f"--api-base must be an http(s) URL, not {api_base!r}")
    downloads: dict[str, list[tuple[Path, dict]]] = {lvl: [] for lvl in levels}
    with tempfile.TemporaryDirectory(prefix="atlas-gb-") as tmp:
        for level in levels:
            adm = {"admin1": "ADM1", "admin2": "ADM2"}.get(level)
            if adm is None:
                raise BoundaryError(f"unknown level {level!r}; use admin1 or admin2")
            for iso3 in countries:
                url = f"{api_base.rstrip('/')}/{iso3.upper()}/{adm}/"
                try:
                    info = json.loads(_http_get(url, timeout))
                except json.JSONDecodeError:
                    raise BoundaryError(f"{url} did not answer JSON metadata") from None
                if isinstance(info, list):
                    info = info[0] if info else {}
                gj_url = info.get("gjDownloadURL")
                if not gj_url or not str(gj_url).startswith(("http://", "https://")):
                    raise BoundaryError(f"{url} answered no usable gjDownloadURL")
                target = Path(tmp) / f"{iso3}_{adm}.geojson"
                target.write_bytes(_http_get(gj_url, timeout))
                downloads[level].append((target, info))
        reports = []
        for level in levels:
            files = downloads[level]
            infos = [info for _, info in files]
            licence = "; ".join(sorted({str(i.get("boundaryLicense", "CC BY 4.0")) for i in infos}))
            source = "geoBoundaries gbOpen (Runfola et al. 2020, PLoS ONE 15(4): e0231866): " + "; ".join(
                f"{i.get('boundaryISO', '?')} {i.get('boundaryType', '?')} {i.get('boundarySource', '')} "
                f"{i.get('boundaryYearRepresented', '')}".strip()
                for i in infos
            )
            report = register_boundary_set(
                [p for p, _ in files], name=name, level=level, source=source, licence=licence, settings=settings
            )
            report.notes.append(f"downloaded from {api_base} on {datetime.now(UTC).date().isoformat()}")
            reports.append(report)
    return reports
