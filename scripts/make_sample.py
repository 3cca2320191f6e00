"""Generate `data/events.csv`: the synthetic sample the app shows while the store holds no events.

Every row is invented. It has ACLED's columns so that it exercises the same reader, and every row says
what it is: `source` is "SYNTHETIC SAMPLE — not real events", ids start with SMP, actors are "(synthetic)".
It is calibrated on aggregate statistics only — event counts per admin-1 region and year (rounded to
tens), the mix of event types per country and the distribution of fatalities per event type, as
published in ACLED-based reports for 2015–2020 — and never copies a row of a real dataset. 2021 and
2022 continue the growth. Locations are drawn inside the Natural Earth polygons, around invented places
that cluster in Mopti, the Burkina Sahel and Tillabéri.

Run `python scripts/make_sample.py` (seeded: the same file every time).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.boundaries import load_boundary_set
from geo.schema import SAMPLE_LABEL

SEED = 20_190_323
OUT = Path(__file__).resolve().parent.parent / "data" / "events.csv"
YEARS = list(range(2015, 2023))
TRI_BORDER = (0.6, 14.8)  # lon, lat: the Liptako-Gourma tri-border area

# Events per admin-1 unit and year, rounded to tens (2020 scaled to a full year; 2021-22 extrapolated).
COUNTS = {
    "BF-01": [0, 0, 10, 20, 40, 50, 70, 90], "BF-02": [10, 0, 0, 10, 20, 30, 30, 40],
    "BF-03": [60, 40, 50, 50, 60, 30, 30, 30], "BF-04": [0, 10, 10, 10, 20, 10, 20, 30],
    "BF-05": [0, 10, 10, 10, 130, 90, 120, 160], "BF-06": [0, 10, 10, 10, 10, 10, 20, 30],
    "BF-07": [0, 0, 10, 0, 10, 10, 10, 20], "BF-08": [0, 10, 10, 80, 120, 190, 230, 270],
    "BF-09": [10, 0, 10, 20, 30, 30, 40, 50], "BF-10": [10, 0, 10, 30, 80, 60, 90, 120],
    "BF-11": [0, 0, 0, 10, 10, 10, 10, 20], "BF-12": [0, 20, 80, 130, 310, 280, 340, 420],
    "BF-13": [0, 0, 0, 20, 40, 30, 40, 50],
    "ML-1": [0, 0, 0, 10, 20, 30, 40, 50], "ML-2": [0, 0, 10, 20, 30, 20, 30, 40],
    "ML-3": [10, 0, 0, 10, 20, 30, 40, 40], "ML-4": [10, 10, 40, 50, 30, 70, 90, 100],
    "ML-5": [30, 40, 140, 310, 440, 520, 560, 600], "ML-6": [30, 40, 60, 100, 80, 100, 110, 120],
    "ML-7": [50, 20, 130, 180, 120, 200, 220, 260], "ML-8": [30, 40, 80, 50, 20, 30, 30, 30],
    "ML-BKO": [20, 10, 20, 30, 60, 60, 40, 40],
    "NE-1": [0, 0, 0, 10, 20, 10, 20, 20], "NE-2": [50, 50, 20, 50, 160, 150, 140, 130],
    "NE-3": [0, 0, 0, 0, 10, 10, 20, 30], "NE-4": [0, 0, 0, 0, 20, 20, 40, 50],
    "NE-5": [0, 0, 0, 0, 0, 20, 30, 40], "NE-6": [0, 10, 20, 70, 130, 190, 260, 300],
    "NE-7": [0, 0, 0, 10, 10, 10, 10, 20], "NE-8": [10, 10, 10, 20, 20, 20, 20, 20],
}
HOTSPOT_UNITS = {"ML-5", "BF-12", "NE-6", "BF-05", "BF-10", "BF-08"}

# Share of event types per country, 2015-2020 (aggregate).
TYPE_MIX = {
    "MLI": {"Battles": 0.27, "Violence against civilians": 0.28, "Explosions/Remote violence": 0.12,
            "Protests": 0.14, "Riots": 0.06, "Strategic developments": 0.13},
    "BFA": {"Battles": 0.22, "Violence against civilians": 0.31, "Explosions/Remote violence": 0.08,
            "Protests": 0.17, "Riots": 0.10, "Strategic developments": 0.12},
    "NER": {"Battles": 0.23, "Violence against civilians": 0.38, "Explosions/Remote violence": 0.06,
            "Protests": 0.14, "Riots": 0.08, "Strategic developments": 0.11},
}
SUB_TYPES = {
    "Battles": {"Armed clash": 0.99, "Non-state actor overtakes territory": 0.01},
    "Violence against civilians": {"Attack": 0.80, "Abduction/forced disappearance": 0.20},
    "Explosions/Remote violence": {"Remote explosive/landmine/IED": 0.68, "Air/drone strike": 0.17,
                                   "Shelling/artillery/missile attack": 0.15},
    "Protests": {"Peaceful protest": 0.93, "Protest with intervention": 0.07},
    "Riots": {"Violent demonstration": 0.68, "Mob violence": 0.32},
    "Strategic developments": {"Looting/property destruction": 0.65, "Other": 0.15, "Arrests": 0.10,
                               "Change to group/activity": 0.10},
}
# Fatalities: share of events with none, and the mean of the others (geometric tail).
FATALITIES = {
    "Battles": (0.34, 7.2), "Violence against civilians": (0.38, 4.4), "Explosions/Remote violence": (0.54, 4.6),
    "Protests": (1.0, 0.0), "Riots": (0.85, 2.1), "Strategic developments": (0.99, 2.0),
}
DISORDER = {"Protests": "Demonstrations", "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
STATE = {"MLI": "Military Forces of Mali (synthetic)", "BFA": "Military Forces of Burkina Faso (synthetic)",
         "NER": "Military Forces of Niger (synthetic)"}
COUNTRY = {"MLI": ("Mali", 466), "BFA": ("Burkina Faso", 854), "NER": ("Niger", 562)}
# Invented armed groups; A and B operate across borders, the militias in one country.
GROUPS = {
    "MLI": ["Armed group A (synthetic)", "Armed group B (synthetic)", "Community militia M (synthetic)"],
    "BFA": ["Armed group A (synthetic)", "Armed group B (synthetic)", "Self-defence group S (synthetic)"],
    "NER": ["Armed group B (synthetic)", "Armed group A (synthetic)", "Armed group C (synthetic)"],
}
GROUP_WEIGHTS = [0.45, 0.35, 0.20]


def _ascii(name: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _places(rng: np.random.Generator, polygon, code: str, n: int) -> np.ndarray:
    """Invented place locations inside a unit, denser towards the tri-border for hotspot units."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    found: list[tuple[float, float]] = []
    while len(found) < n:
        x = rng.uniform(minx, maxx, 4000)
        y = rng.uniform(miny, maxy, 4000)
        inside = shapely.contains_xy(polygon, x, y)
        x, y = x[inside], y[inside]
        if code in HOTSPOT_UNITS:
            d = np.hypot(x - TRI_BORDER[0], y - TRI_BORDER[1])
            keep = rng.uniform(size=len(x)) < np.exp(-d / 2.5) + 0.05
            x, y = x[keep], y[keep]
        found += list(zip(x, y))
    return np.array(found[:n])


def generate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    boundaries = load_boundary_set("natural-earth")
    admin1 = boundaries.units("admin1").set_index("unit_code")
    admin2 = boundaries.units("admin2")
    shapely.prepare(admin2.geometry.values)
    rows = []
    for code, counts in COUNTS.items():
        unit = admin1.loc[code]
        iso3 = unit["country_iso3"]
        polygon = unit.geometry
        places = _places(rng, polygon, code, 12 if code not in HOTSPOT_UNITS else 40)
        popularity = rng.dirichlet(np.full(len(places), 0.6))
        place_names = [f"Sample place {code}-{i + 1:02d}" for i in range(len(places))]
        types = list(TYPE_MIX[iso3])
        for year, count in zip(YEARS, counts):
            for _ in range(int(count)):
                p = rng.choice(len(places), p=popularity)
                precision = rng.choice([1, 2, 3], p=[0.67, 0.30, 0.03])
                if precision == 3:
                    point = polygon.representative_point()
                    lon, lat = point.x, point.y
                else:
                    spread = 0.03 if precision == 1 else 0.12
                    for _attempt in range(50):
                        lon, lat = places[p] + rng.normal(0, spread, 2)
                        if shapely.contains_xy(polygon, lon, lat):
                            break
                    else:
                        lon, lat = places[p]
                event_type = rng.choice(types, p=list(TYPE_MIX[iso3].values()))
                sub = rng.choice(list(SUB_TYPES[event_type]), p=list(SUB_TYPES[event_type].values()))
                p_zero, mean = FATALITIES[event_type]
                fatalities = 0 if rng.uniform() < p_zero or mean == 0 else int(rng.geometric(1 / mean))
                group = rng.choice(GROUPS[iso3], p=GROUP_WEIGHTS)
                if event_type == "Battles":
                    actor1, actor2 = (group, STATE[iso3]) if rng.uniform() < 0.6 else (STATE[iso3], group)
                    inter1, inter2 = ("Rebel group", "State forces") if actor1 == group else ("State forces", "Rebel group")
                elif event_type in ("Violence against civilians", "Explosions/Remote violence"):
                    actor1, actor2 = group, f"Civilians ({COUNTRY[iso3][0]})"
                    inter1, inter2 = "Rebel group", "Civilians"
                elif event_type == "Protests":
                    actor1, actor2, inter1, inter2 = f"Protesters ({COUNTRY[iso3][0]})", "", "Protesters", ""
                elif event_type == "Riots":
                    actor1, actor2 = f"Rioters ({COUNTRY[iso3][0]})", f"Civilians ({COUNTRY[iso3][0]})"
                    inter1, inter2 = "Rioters", "Civilians"
                else:
                    actor1, actor2, inter1, inter2 = group, "", "Rebel group", ""
                civilian = event_type == "Violence against civilians" or (
                    inter2 == "Civilians" and event_type in ("Explosions/Remote violence", "Riots")
                )
                day = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 365)))
                admin2_name = ""
                if iso3 == "BFA":
                    hit = shapely.contains_xy(admin2.geometry.values, lon, lat)
                    admin2_name = _ascii(admin2.loc[hit, "unit_name"].iloc[0]) if hit.any() else ""
                rows.append(
                    {
                        "event_date": day.strftime("%Y-%m-%d"),
                        "year": year,
                        "time_precision": int(rng.choice([1, 2, 3], p=[0.94, 0.05, 0.01])),
                        "disorder_type": DISORDER.get(event_type, "Political violence"),
                        "event_type": event_type,
                        "sub_event_type": sub,
                        "actor1": actor1,
                        "assoc_actor_1": "",
                        "inter1": inter1,
                        "actor2": actor2,
                        "assoc_actor_2": "",
                        "inter2": inter2,
                        "interaction": f"{inter1}-{inter2}" if inter2 else f"{inter1} only",
                        "civilian_targeting": "Civilian targeting" if civilian else "",
                        "iso": COUNTRY[iso3][1],
                        "country": COUNTRY[iso3][0],
                        "admin1": _ascii(unit["unit_name"]),
                        "admin2": admin2_name,
                        "admin3": "",
                        "location": place_names[p],
                        "latitude": round(float(lat), 4),
                        "longitude": round(float(lon), 4),
                        "geo_precision": int(precision),
                        "source": SAMPLE_LABEL,
                        "source_scale": "Synthetic",
                        "notes": f"Synthetic, not a real event: {sub.lower()}.",
                        "fatalities": fatalities,
                        "tags": "synthetic",
                    }
                )
    frame = pd.DataFrame(rows).sort_values(["event_date", "country", "admin1", "location"], kind="stable")
    frame.insert(0, "event_id_cnty", [f"SMP{i:06d}" for i in range(1, len(frame) + 1)])
    frame["timestamp"] = 1_700_000_000
    return frame.reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate the synthetic sample data/events.csv")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    frame = generate(args.seed)
    frame.to_csv(args.out, index=False, lineterminator="\n")
    print(f"wrote {args.out}: {len(frame)} synthetic events, {frame['fatalities'].sum()} synthetic fatalities")


if __name__ == "__main__":
    main()
