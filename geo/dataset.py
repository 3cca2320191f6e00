"""Which events a view shows: the store's, or — while the store holds none — the synthetic sample.

The sample is never written into a store; it is read from `data/events.csv` (see
`scripts/make_sample.py`) and marked as sample everywhere it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .config import Settings, get_settings
from .readers import read_events
from .schema import SAMPLE_LABEL
from .store import Store


@dataclass
class EventData:
    """Events for a view, and what they are."""

    events: pd.DataFrame
    is_sample: bool
    version: str
    description: str


@lru_cache(maxsize=4)
def _sample_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    result = read_events(path)
    if result.rejected:
        raise RuntimeError(f"the synthetic sample {path} has invalid rows; regenerate it with scripts/make_sample.py")
    return result.events.drop(columns=["_file", "_line"])


def load_sample(settings: Settings | None = None) -> pd.DataFrame:
    """The synthetic sample as canonical events (source_dataset "sample")."""
    settings = settings or get_settings()
    path = Path(settings.sample_events)
    return _sample_cached(str(path), path.stat().st_mtime_ns).copy()


def sample_version(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return f"sample:{Path(settings.sample_events).stat().st_mtime_ns}"


def current_events(store: Store, *, source: str | None = None, settings: Settings | None = None) -> EventData:
    """
    The events to show: the store's when it holds any, else the synthetic sample.

    Parameters
    ----------
    source
        "sample" forces the sample; another source name keeps only that dataset of the store.
    """
    settings = settings or get_settings()
    if source == "sample" or store.count_events() == 0:
        return EventData(load_sample(settings), True, sample_version(settings), SAMPLE_LABEL)
    events = store.load_events(sources=[source] if source else None)
    sources = sorted(events["source_dataset"].unique())
    return EventData(
        events, False, f"store:{store.url}:{store.data_version()}",
        "Event store: " + ", ".join(s.upper() for s in sources),
    )
