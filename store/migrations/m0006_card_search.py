"""A trigram index of case numbers and names: a search is a lookup, not a scan of every card."""

from __future__ import annotations

NAME = "card search"

SQL = [
    "CREATE VIRTUAL TABLE card_search USING fts5(case_no, case_name, content='card',"
    " content_rowid='id', tokenize='trigram')",
    "INSERT INTO card_search (card_search) VALUES ('rebuild')",
    """CREATE TRIGGER card_search_add AFTER INSERT ON card BEGIN
        INSERT INTO card_search (rowid, case_no, case_name)
        VALUES (new.id, new.case_no, new.case_name); END""",
    """CREATE TRIGGER card_search_change AFTER UPDATE OF case_no, case_name ON card BEGIN
        INSERT INTO card_search (card_search, rowid, case_no, case_name)
        VALUES ('delete', old.id, old.case_no, old.case_name);
        INSERT INTO card_search (rowid, case_no, case_name)
        VALUES (new.id, new.case_no, new.case_name); END""",
]
