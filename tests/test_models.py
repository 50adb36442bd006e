"""Every table declared once as a peewee model, held to the schema the migrations build.

The migrations stay the one ordered sequence that makes the schema; the models are how the
code reads it. A store is built by the migrations (the `admin_dir` fixture), every model of
store/ is found by importing every store module (a subclass of `store.vault.database.BaseModel`,
or any model bound to its `db`), and each is compared with its table:

- columns, by name (`PRAGMA table_xinfo`, so generated columns are seen too);
- declared types, by SQLite's type affinity (INTEGER, TEXT, REAL, NUMERIC, BLOB): the SQL type
  a field declares (`IntegerField` INTEGER, `TextField` TEXT, `ForeignKeyField` its key's ...)
  must have the column's affinity; a column declared without a type wants a `BareField`;
- NOT NULL (`null=True` exactly where the column allows NULL), primary keys (composite too),
  defaults (the model's `default=` is the column's DEFAULT, none where the column has none);
- generated columns: their field marked with `store.vault.database.generated(...)`;
- unique indexes and UNIQUE constraints (`unique=True`, `Meta.indexes` tuples, or a
  `ModelIndex` with `where=` for a partial one); other indexes need not be declared, but
  an index a model declares must be the migrations' (same columns, unique or not).

Virtual tables (full-text search) are compared by column names and types only. Every table
of the schema (but SQLite's own and the shadow tables of virtual tables) has exactly one model.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any

import peewee
import pytest
from peewee import (
    BareField,
    CompositeKey,
    IntegerField,
    Model,
    ModelIndex,
    SqliteDatabase,
    TextField,
)

import store
from store.vault.database import BaseModel, db
from store.vault.folder import StoreDir

# --- the schema, as the migrations built it -------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One row of `PRAGMA table_xinfo`."""

    name: str
    type: str
    notnull: bool
    default: str | None
    """The DEFAULT as SQL text (`'open'`, `0`), None when the column has none."""
    pk: int
    """Position in the primary key (1, 2, ...), 0 when not part of it."""
    hidden: int
    """0 plain, 1 hidden column of a virtual table, 2 or 3 generated (virtual, stored)."""


@dataclass(frozen=True)
class Index:
    """An index or UNIQUE constraint (not the primary key's own)."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    partial: bool


@dataclass(frozen=True)
class Table:
    name: str
    virtual: bool
    columns: dict[str, Column]
    indexes: tuple[Index, ...]


def _all(sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.execute_sql(sql).fetchall()]


def read_schema() -> dict[str, Table]:
    """Every table of the open store's main schema, but SQLite's own and shadow tables."""
    tables: dict[str, Table] = {}
    for _schema, name, kind, *_rest in _all("PRAGMA main.table_list"):
        if kind not in ("table", "virtual") or name.startswith("sqlite_"):
            continue  # 'shadow': the pages of a virtual table (card_search_data, ...)
        quoted = '"' + name.replace('"', '""') + '"'
        columns = {
            col: Column(col, str(declared), bool(notnull), default, int(pk), int(hidden))
            for _cid, col, declared, notnull, default, pk, hidden
            in _all(f"PRAGMA main.table_xinfo({quoted})")
        }
        indexes = []
        for _seq, index, unique, origin, partial in _all(f"PRAGMA main.index_list({quoted})"):
            if origin == "pk":
                continue
            info = _all(f'PRAGMA main.index_info("{index}")')
            names = tuple(str(col) if col is not None else "<expression>"
                          for _seqno, _cid, col in sorted(info))
            indexes.append(Index(str(index), names, bool(unique), bool(partial)))
        tables[name] = Table(name, kind == "virtual", columns, tuple(indexes))
    return tables


# --- the models, as store/ declares them ----------------------------------------------------


def store_models() -> list[type[Model]]:
    """Every model declared in a store module and bound to the store's database."""
    for info in pkgutil.walk_packages(store.__path__, "store."):
        importlib.import_module(info.name)
    found: list[type[Model]] = []
    stack: list[type[Model]] = [Model]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if (sub is not BaseModel and sub.__module__.startswith("store.")
                    and sub._meta.database is db and sub not in found):
                found.append(sub)
    return sorted(found, key=lambda m: (m._meta.table_name, m.__module__, m.__name__))


def _where(model: type[Model]) -> str:
    return f"{model.__name__} ({model.__module__})"


PEEWEE_TYPES: dict[str, str] = vars(peewee)["FIELD"]
FIELD_TYPES: dict[str, str] = {**PEEWEE_TYPES, **SqliteDatabase.field_types}
"""peewee's field types as the SQL types it would declare on SQLite."""


def affinity(declared: str) -> str:
    """SQLite's type affinity of a declared type (its section 3.1 rules, in their order); a
    column with no declared type is told apart from BLOB: it wants a BareField."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(part in upper for part in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper:
        return "BLOB"
    if not upper.strip():
        return "no type"
    if any(part in upper for part in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def field_sql_type(field: peewee.Field) -> str:
    return FIELD_TYPES.get(field.field_type, field.field_type)


def sql_default(text: str | None) -> Any:
    """A column's DEFAULT as a Python value ('' for `''`, 0 for `0`)."""
    if text is None:
        return None
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def model_indexes(model: type[Model]) -> set[tuple[tuple[str, ...], bool, bool]]:
    """The indexes a model declares, as (columns, unique, partial): fields with `unique=True`,
    `Meta.indexes` and `ModelIndex`es (a field's own `index=True` is not read: peewee sets it
    on every ForeignKeyField)."""
    meta = model._meta
    found: set[tuple[tuple[str, ...], bool, bool]] = set()
    for field in meta.sorted_fields:
        if field.unique and not field.primary_key:
            found.add(((field.column_name,), True, False))
    for index in meta.indexes:
        if isinstance(index, ModelIndex):
            spec: Any = index  # peewee keeps an index's parts in private attributes
            names = tuple(part.column_name if isinstance(part, peewee.Field) else str(part)
                          for part in spec._expressions)
            found.add((names, bool(spec._unique), spec._where is not None))
        elif isinstance(index, (list, tuple)):
            parts, unique = index
            found.add((tuple(meta.combined[part].column_name for part in parts), bool(unique),
                       False))
    return found


def model_primary_key(model: type[Model]) -> tuple[str, ...]:
    key = model._meta.primary_key
    if key is None or key is False:
        return ()
    if isinstance(key, CompositeKey):
        return tuple(model._meta.fields[name].column_name for name in key.field_names)
    return (key.column_name,)


# --- the comparison ---------------------------------------------------------------------------


def drift(model: type[Model], schema: dict[str, Table]) -> list[str]:
    """Where `model` and its table disagree, one line each naming table and column."""
    name = model._meta.table_name
    table = schema.get(name)
    if table is None:
        return [f"{name}: model {_where(model)} names a table the migrations do not build"]
    fields = {field.column_name: field for field in model._meta.sorted_fields}
    problems: list[str] = []
    for column in table.columns.values():
        if column.hidden == 1:
            continue  # a virtual table's own hidden columns (card_search, rank)
        if column.name not in fields:
            problems.append(f"{name}.{column.name}: column has no field in {_where(model)}")
    for column_name, field in fields.items():
        found = table.columns.get(column_name)
        if found is None or found.hidden == 1:
            if not (table.virtual and column_name in ("rowid", "docid")):
                problems.append(f"{name}.{column_name}: {_where(model)} declares field "
                                f"{field.name!r}, the table has no such column")
            continue
        problems += _column_drift(model, table, found, field)
    if not table.virtual:
        declared_key = model_primary_key(model)
        schema_key = tuple(c.name for c in sorted(table.columns.values(), key=lambda c: c.pk)
                           if c.pk)
        if declared_key != schema_key:
            problems.append(f"{name}: primary key is ({', '.join(schema_key)}), "
                            f"{_where(model)} declares ({', '.join(declared_key)})")
        in_schema = {(i.columns, i.unique, i.partial): i.name for i in table.indexes}
        in_model = model_indexes(model)
        for (columns, unique, partial), index in sorted(in_schema.items()):
            if unique and (columns, unique, partial) not in in_model:
                problems.append(
                    f"{name}.{'+'.join(columns)}: unique{' partial' if partial else ''} index "
                    f"{index} is not declared by {_where(model)}")
        for columns, unique, partial in sorted(in_model - set(in_schema)):
            kind = ("a unique" if unique else "an") + (" partial" if partial else "")
            problems.append(f"{name}.{'+'.join(columns)}: {_where(model)} declares {kind} "
                            "index the table does not have")
    return problems


def _column_drift(model: type[Model], table: Table, column: Column,
                  field: peewee.Field) -> list[str]:
    where = f"{table.name}.{column.name}"
    declared = field_sql_type(field)
    problems = []
    if affinity(declared) != affinity(column.type):
        problems.append(
            f"{where}: column is {column.type or 'declared without a type'} "
            f"({affinity(column.type)}), {_where(model)}.{field.name} is "
            f"{type(field).__name__} ({declared or 'no type'}: {affinity(declared)})")
    if table.virtual:
        return problems
    is_generated = column.hidden in (2, 3)
    if is_generated != bool(getattr(field, "generated", False)):
        problems.append(
            f"{where}: column is {'generated' if is_generated else 'not generated'}, "
            f"{_where(model)}.{field.name} is "
            f"{'not marked' if is_generated else 'marked'} with generated(...)")
    if not column.pk and field.null != (not column.notnull):
        problems.append(
            f"{where}: column is {'NOT NULL' if column.notnull else 'nullable'}, "
            f"{_where(model)}.{field.name} has null={field.null}")
    if not column.pk and not is_generated:
        expected = sql_default(column.default)
        if callable(field.default):
            problems.append(f"{where}: {_where(model)}.{field.name} has a computed default, "
                            f"the column's DEFAULT is {column.default}")
        elif field.default != expected or (expected is None) != (field.default is None):
            problems.append(
                f"{where}: column's DEFAULT is {column.default or 'none'}, "
                f"{_where(model)}.{field.name} has default={field.default!r}")
    return problems


# --- the tests --------------------------------------------------------------------------------


def test_every_model_matches_its_table(admin_dir: StoreDir) -> None:
    schema = read_schema()
    problems = [line for model in store_models() for line in drift(model, schema)]
    assert not problems, "models that drifted from the migrations' schema:\n" + "\n".join(
        problems)


def test_every_table_has_exactly_one_model(admin_dir: StoreDir) -> None:
    schema = read_schema()
    owners: dict[str, list[type[Model]]] = {}
    for model in store_models():
        owners.setdefault(model._meta.table_name, []).append(model)
    missing = sorted(set(schema) - set(owners))
    twice = {table: models for table, models in owners.items() if len(models) > 1}
    lines = []
    if missing:
        lines.append(f"{len(missing)} tables have no model yet: {', '.join(missing)}")
    lines += [f"table {table} has {len(models)} models: "
              f"{', '.join(_where(m) for m in models)}" for table, models in sorted(twice.items())]
    assert not lines, "\n".join(lines)


def test_a_drifted_model_is_reported_by_table_and_column(admin_dir: StoreDir) -> None:
    """The checker itself: a model written wrong on purpose is caught, line by line."""

    class WrongOperator(Model):
        id = TextField(primary_key=True)  # INTEGER PRIMARY KEY in the schema
        name = TextField()  # UNIQUE in the schema
        display_name = TextField(null=True)  # NOT NULL in the schema
        role = IntegerField()  # TEXT in the schema
        status = TextField()
        created_at = TextField()
        created_by = TextField()
        disabled_at = TextField(null=True)
        disabled_by = TextField(null=True)
        disabled_reason = TextField(null=True)
        # last_login_at left out
        seal = TextField()  # DEFAULT '' in the schema
        slot_sha256 = TextField(default="")
        must_change = IntegerField(default=1)  # DEFAULT 0 in the schema
        nickname = TextField()  # no such column

        class Meta:
            database = db
            table_name = "operator"
            indexes = ((("role", "status"), False),)  # no such index

    class WrongCard(Model):
        case_key = TextField(null=True)  # generated, not marked

        class Meta:
            database = db
            table_name = "card"

    class NoTable(Model):
        class Meta:
            database = db
            table_name = "no_such_table"

    schema = read_schema()
    problems = "\n".join(drift(WrongOperator, schema))
    wrong = _where(WrongOperator)
    for expected in (
        f"operator.id: column is INTEGER (INTEGER), {wrong}.id is TextField (TEXT: TEXT)",
        f"operator.name: unique index sqlite_autoindex_operator_1 is not declared by {wrong}",
        f"operator.display_name: column is NOT NULL, {wrong}.display_name has null=True",
        f"operator.role: column is TEXT (TEXT), {wrong}.role is IntegerField (INTEGER: INTEGER)",
        f"operator.last_login_at: column has no field in {wrong}",
        f"operator.seal: column's DEFAULT is '', {wrong}.seal has default=None",
        f"operator.must_change: column's DEFAULT is 0, {wrong}.must_change has default=1",
        f"operator.nickname: {wrong} declares field 'nickname', the table has no such column",
        f"operator.role+status: {wrong} declares an index the table does not have",
    ):
        assert expected in problems, f"{expected!r} not in:\n{problems}"
    assert "slot_sha256" not in problems and "operator.status" not in problems
    card = "\n".join(drift(WrongCard, schema))
    assert (f"card.case_key: column is generated, {_where(WrongCard)}.case_key is not marked "
            "with generated(...)") in card
    assert "no_such_table: model" in "\n".join(drift(NoTable, schema))


def test_untyped_and_full_text_columns(admin_dir: StoreDir) -> None:
    """A column declared without a type wants a BareField; full-text tables compare by name."""
    from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField

    class AuditRowLike(Model):
        id = IntegerField(primary_key=True)
        audit_id = IntegerField()
        tbl = TextField()
        pk = TextField()  # declared without a type in the schema
        digest = peewee.BlobField(null=True)

        class Meta:
            database = db
            table_name = "audit_row"

    class Search(FTS5Model):  # type: ignore[misc]
        rowid = RowIDField()
        case_no = SearchField()
        case_name = SearchField()

        class Meta:
            database = db
            table_name = "card_search"

    schema = read_schema()
    assert drift(AuditRowLike, schema) == [
        f"audit_row.pk: column is declared without a type (no type), {_where(AuditRowLike)}.pk"
        " is TextField (TEXT: TEXT)"]
    AuditRowLike._meta.remove_field("pk")
    AuditRowLike._meta.add_field("pk", BareField())
    assert drift(AuditRowLike, schema) == []
    assert drift(Search, schema) == []


def test_unique_indexes_as_peewee_declares_them(admin_dir: StoreDir) -> None:
    """`Meta.indexes` tuples for UNIQUE (a, b); a `ModelIndex` with `where=` for a partial one."""

    class CodeLike(Model):
        kind = TextField()
        code = TextField()

        class Meta:
            database = db
            table_name = "code"
            indexes = ((("kind", "code"), True),)

    class LoanLike(Model):
        item_id = IntegerField()
        status = TextField(default="open")

        class Meta:
            database = db
            table_name = "loan"

    schema = read_schema()
    assert not [line for line in drift(CodeLike, schema) if "unique" in line]
    assert [line for line in drift(LoanLike, schema) if "unique" in line] == [
        f"loan.item_id: unique partial index loan_one_open is not declared by {_where(LoanLike)}"]
    LoanLike.add_index(ModelIndex(LoanLike, (LoanLike.item_id,), unique=True,
                                  where=LoanLike.status == "open", name="loan_one_open"))
    assert not [line for line in drift(LoanLike, schema) if "unique" in line]


@pytest.mark.parametrize(("declared", "expected"), [
    ("INTEGER", "INTEGER"), ("TEXT", "TEXT"), ("VARCHAR(255)", "TEXT"), ("BLOB", "BLOB"),
    ("", "no type"), ("REAL", "REAL"), ("DECIMAL(10, 5)", "NUMERIC"), ("SMALLINT", "INTEGER"),
])
def test_affinity_follows_sqlite(declared: str, expected: str) -> None:
    assert affinity(declared) == expected
