"""Central Sahel violence atlas: the event pipeline (pure Python; no Streamlit in this package).

A file in → canonical events (`geo.readers`, `geo.schema`) → admin units (`geo.boundaries`, `geo.join`)
→ figures per unit and period (`geo.aggregate`) → stored batches (`geo.store`, `geo.ingest`). The figure layer
(`geo.figures`) draws them; the pipeline never imports it.
"""

__version__ = "0.1.0"
