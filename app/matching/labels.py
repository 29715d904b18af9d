"""The Vietnamese names that match explanations use for codes (fields, provinces, forms)."""

from functools import lru_cache

from app.matching.engine import Labels
from app.taxonomies.data import FIELDS, PROVINCES, TRANSFER_FORM


@lru_cache(maxsize=1)
def taxonomy_labels() -> Labels:
    """Field, province and transfer-form names from the reference data."""
    return Labels(
        fields={f.code: f.name for f in FIELDS},
        provinces={p.code: p.name for p in PROVINCES},
        transfer_forms={code: name[:1].lower() + name[1:] for code, name in TRANSFER_FORM.items()},
    )
