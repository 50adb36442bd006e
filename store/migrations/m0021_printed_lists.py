"""Printed lists (issue 19): a destruction batch keeps the canonical text of its manifest as
printed, and the language it was printed in, so that a reprint reproduces it and
`statdesk export verify` can name the lines that differ; the certificate's text, language and
digest likewise once it is written. Batches printed before keep '' (their digest was computed
over the store's codes)."""

from __future__ import annotations

NAME = "printed lists"

SQL = [
    "ALTER TABLE destruction_batch ADD COLUMN list_text TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destruction_batch ADD COLUMN list_lang TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destruction_batch ADD COLUMN certificate_text TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destruction_batch ADD COLUMN certificate_lang TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE destruction_batch ADD COLUMN certificate_sha256 TEXT NOT NULL DEFAULT ''",
]
