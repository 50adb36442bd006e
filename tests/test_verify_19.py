"""Issue 19, `statdesk export verify` hardened: a path that is not a regular file, a package
whose text is too large or that zipfile/zlib cannot read is refused in one line before it is
read; the store's record of the batch is checked against its audit entries before it is
trusted; the file's own SHA-256 is looked up among the files exported, so a file whose lines
match but that statdesk did not export (edited, re-saved) is said not to be vouched for; a
batch printed before 0.6.0 is said to be one."""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
import pytest

from exports import destruction_files
from store import clock
from store.custody import items
from store.destruction import batches as destruction
from store.destruction.batches import Arrangements, Execution
from store.vault.database import db, execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests import test_manifest_19 as m19
from tests.conftest import ADMIN_PW, CliResult

DAY = "2026-11-30"


@dataclass(frozen=True)
class Exported:
    paths: DataPaths
    manifest: Path
    certificate: Path
    old: Path
    """The manifest of a batch printed by the method before 0.6.0 (no text on record)."""
    number: str


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    """One store for the module: a batch printed, carried out and its certificate written,
    and a second batch printed by the old method (its digest over the store's codes)."""
    root = tmp_path_factory.mktemp("verify19")
    patch = pytest.MonkeyPatch()
    patch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    try:
        paths = DataPaths(root / "data")
        with StoreDir(paths, create=True) as folder:
            session = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理").session
            batch = m19._batch(session)
            manifest = destruction_files.manifest(session, batch.id, root / "m.docx")
            destruction.execute_batch(session, batch.id, Execution(DAY, "jxa gzm", {},
                                                                   batch.number))
            certificate = destruction_files.certificate(session, batch.id, root / "c.docx")
            item = items.register(session, "旧清单载体", "report", "internal", pages="3")
            old = destruction.create(session, "旧批次")
            destruction.add(session, old.id, item.reg_no, "expired")
            destruction.approve(session, old.id, Arrangements(
                approver="cjc", approved_on=DAY, reference="销审〔2026〕4号",
                place="本院保密销毁室", method="shred", planned_on=DAY, handler="lwj",
                supervisors="jxa gzm"))
            destruction.mark_printed(session, old.id)  # no text: the old method's digest
            old_path = destruction_files.manifest(session, old.id, root / "old.docx")
            session.close()
        yield Exported(paths, manifest, certificate, old_path, batch.number)
    finally:
        patch.undo()


Run = Callable[[list[str], str], CliResult]


def _verify(cli_run: Run, exported: Exported, path: Path, stdin: str = f"{ADMIN_PW}\n",
            ) -> CliResult:
    return cli_run(["export", "verify", str(path), "--data-dir", str(exported.paths.root),
                    "--user", "admin", "--password-stdin"], stdin)


def _refused(result: CliResult, said: str) -> None:
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert said in result.err and "Error" not in result.err and not result.out


def test_an_exported_file_passes_and_is_said_to_be_the_one_exported(
        cli_run: Run, exported: Exported) -> None:
    for path, kind in ((exported.manifest, "manifest"), (exported.certificate, "certificate")):
        ok = _verify(cli_run, exported, path)
        assert ok.code == 0, ok.out + ok.err
        assert ok.out.startswith(f"OK: {path} is the {kind} of batch {exported.number}")
        assert f"the file is the one exported on {DAY}" in ok.out


def test_a_re_saved_file_whose_lines_match_is_not_vouched_for(
        cli_run: Run, exported: Exported, tmp_path: Path) -> None:
    again = tmp_path / "re-saved.docx"
    docx.Document(str(exported.manifest)).save(str(again))  # no change to its text
    assert destruction_files.read(again).lines == destruction_files.read(exported.manifest).lines
    said = _verify(cli_run, exported, again)
    assert said.code == 1, said.out + said.err
    assert "the printed lines match the record" in said.out
    assert "not one statdesk exported (it was edited or re-saved)" in said.out
    assert "(totals, signatures, hidden text) is not vouched for" in said.out
    assert "OK" not in said.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_folder_is_refused_without_reading(
        cli_run: Run, exported: Exported, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)  # opened for reading with no writer, a plain open would wait for ever
    _refused(_verify(cli_run, exported, fifo, ""), "pipe.docx is not a Word (.docx) file")
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    _refused(_verify(cli_run, exported, folder, ""), "folder.docx is not a Word (.docx) file")


def test_a_text_too_large_is_refused_before_it_is_read(
        cli_run: Run, exported: Exported, tmp_path: Path) -> None:
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as package, \
            package.open("word/document.xml", "w") as part:  # a few dozen KB on disk
        for _ in range(60):
            part.write(b" " * (1024 * 1024))
    assert big.stat().st_size < 1024 * 1024
    _refused(_verify(cli_run, exported, big, ""), "big.docx is too large to be a destruction")
    huge = tmp_path / "huge.docx"  # sparse: 60 MB said, none of it written
    with huge.open("wb") as sparse:
        sparse.truncate(60 * 1024 * 1024)
    refused = _verify(cli_run, exported, huge, "")
    _refused(refused, "huge.docx is too large to be a destruction manifest or certificate: "
                      "the file is over 50 MB")


def _patched(path: Path, flags: int = 0, method: int | None = None) -> None:
    """The one part of a stored package given `flags` and compression `method`, in both its
    local header and the central directory, as a damaged or crafted file would have them."""
    data = bytearray(path.read_bytes())
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    for flag_at, method_at in ((local + 6, local + 8), (central + 8, central + 10)):
        data[flag_at:flag_at + 2] = struct.pack(
            "<H", struct.unpack("<H", data[flag_at:flag_at + 2])[0] | flags)
        if method is not None:
            data[method_at:method_at + 2] = struct.pack("<H", method)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("flags", "method"), [
    (0x1, None),  # encrypted: RuntimeError (a password is asked for)
    (0, zipfile.ZIP_DEFLATED),  # stored bytes said to be deflated: zlib.error
    (0, 99),  # AES: NotImplementedError
])
def test_what_zipfile_and_zlib_raise_is_refused_in_one_line(
        cli_run: Run, exported: Exported, tmp_path: Path, flags: int, method: int | None,
        ) -> None:
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_STORED) as package:
        package.writestr("word/document.xml", "<w:document>" + "x" * 4000 + "</w:document>")
    _patched(bad, flags, method)
    _refused(_verify(cli_run, exported, bad, ""), "bad.docx is not a Word (.docx) file")
    _patched(bad, method=zipfile.ZIP_BZIP2)  # not a bzip2 stream: bz2 says "Invalid data"
    refused = _verify(cli_run, exported, bad, "")
    _refused(refused, "bad.docx")
    assert "not a Word (.docx) file" in refused.err or "cannot read " in refused.err


@pytest.fixture
def changed(exported: Exported) -> Iterator[Callable[[str, tuple[object, ...]], None]]:
    """Run SQL on the store as a hand outside statdesk would; the record is put back after."""
    def run(sql: str, params: tuple[object, ...]) -> None:
        with StoreDir(exported.paths) as folder:
            session = folder.unlock("admin", ADMIN_PW)
            try:
                with db.atomic():
                    execute(sql, params)
            finally:
                session.close()

    with StoreDir(exported.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        try:
            was = destruction.get(destruction.id_of(exported.number) or 0)
        finally:
            session.close()
    yield run
    run("UPDATE destruction_batch SET list_text = ?, list_sha256 = ?, certificate_text = ?,"
        " certificate_sha256 = ? WHERE id = ?", (was.list_text, was.list_sha256,
                                                 was.certificate_text, was.certificate_sha256,
                                                 was.id))


def test_a_record_changed_outside_statdesk_is_not_trusted(
        cli_run: Run, exported: Exported,
        changed: Callable[[str, tuple[object, ...]], None]) -> None:
    said = f"the store's record of batch {exported.number} was changed outside statdesk: " \
           "run statdesk audit verify --deep"
    lines = destruction_files.read(exported.manifest).text + "\nline added by hand"
    # the text and its digest changed together: they agree, the audit entry does not
    changed("UPDATE destruction_batch SET list_text = ?, list_sha256 = ? WHERE number = ?",
            (lines, destruction.text_digest(lines), exported.number))
    for path in (exported.manifest, exported.certificate):
        bad = _verify(cli_run, exported, path)
        assert bad.code == 1 and said in bad.out and "OK" not in bad.out, bad.out + bad.err
    # the text alone changed: its digest is not the text's
    changed("UPDATE destruction_batch SET list_text = ?, list_sha256 = ?, certificate_text ="
            " certificate_text || ' ' WHERE number = ?",
            (destruction_files.read(exported.manifest).text, "0" * 64, exported.number))
    bad = _verify(cli_run, exported, exported.certificate)
    assert bad.code == 1 and said in bad.out, bad.out + bad.err


def test_a_batch_printed_before_0_6_0_is_said_to_be_one(
        cli_run: Run, exported: Exported, tmp_path: Path) -> None:
    said = _verify(cli_run, exported, exported.old)
    assert said.code == 1, said.out + said.err
    assert "printed before statdesk 0.6.0" in said.out
    assert "cannot be computed again from the file" in said.out
    assert "no manifest printed" not in said.out + said.err
    assert f"the file is the one exported on {DAY}" in said.out
    other = docx.Document(str(exported.old))  # a digest printed that is not the record's
    label = next(p for p in other.paragraphs if p.text.startswith("SHA-256 of this list: "))
    for run in label.runs:
        run.text = run.text.replace(run.text[-4:], "0000") if len(run.text) > 60 else run.text
    other.save(str(tmp_path / "other.docx"))
    bad = _verify(cli_run, exported, tmp_path / "other.docx")
    assert bad.code == 1 and "is not the one on record" in bad.out, bad.out + bad.err
    assert "printed before statdesk 0.6.0" in bad.out and "no manifest printed" not in bad.out
    assert "exported on" not in bad.out
