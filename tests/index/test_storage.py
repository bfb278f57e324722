"""The fixes :func:`index.library.whoosh_fixes.patch_whoosh` makes to Whoosh: here, that a file
inside a compound segment is read from the segment's memory map, not copied whole."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest
import whoosh.index
import whoosh.query
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.structfile import BufferFile

from index.library.whoosh_fixes import _MappedFile, patch_whoosh


def test_a_mapped_file_reads_as_bytesio_does() -> None:
    data = pickle.dumps({"a": [1, 2, 3]}, 2) + b"line one\nline two\nrest"
    ours, theirs = _MappedFile(memoryview(data)), io.BytesIO(data)
    for f in (ours, theirs):
        assert pickle.load(f) == {"a": [1, 2, 3]}  # type: ignore[arg-type]
    assert ours.tell() == theirs.tell()
    assert ours.readline() == theirs.readline() == b"line one\n"
    assert ours.read(4) == theirs.read(4) == b"line"
    assert ours.seek(-4, 2) == theirs.seek(-4, 2)
    assert ours.read() == theirs.read() == b"rest"
    assert ours.read(10) == theirs.read(10) == b""
    ours.seek(0)
    target = bytearray(5)
    assert ours.readinto(target) == 5
    assert bytes(target) == data[:5]
    assert ours.getvalue() == data
    with pytest.raises(OSError):
        ours.write(b"x")


def test_a_compound_segment_s_files_are_not_copied(tmp_path: Path) -> None:
    patch_whoosh()
    ix = whoosh.index.create_in(str(tmp_path), Schema(key=ID(stored=True), body=TEXT))
    with ix.writer() as w:
        for i in range(200):
            w.add_document(key=str(i), body=f"word{i} shared text number {i}")
    with ix.searcher() as searcher:
        assert [h["key"] for h in searcher.search(
            whoosh.query.Term("body", "word7"))] == ["7"]
        storage = searcher.reader()._storage.a  # the segment's compound file
        opened = storage.open_file(next(n for n in storage.list() if n.endswith(".trm")))
        assert isinstance(opened, BufferFile)
        assert isinstance(opened.file, _MappedFile)
        # A view of the memory map, not a copy of it.
        assert opened.file._buf.obj is storage._source
