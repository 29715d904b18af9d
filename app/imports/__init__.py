"""Bulk import of offers and needs from CSV or XLSX files (``techmatch import``)."""
