"""Fixes to Whoosh 2.7.5 that every process opening the index applies (:func:`patch_whoosh`,
called by :class:`index.library.storage.Storage`): each is idempotent and does nothing if
Whoosh changed. They make commits and searches faster and keep a searcher from copying
segment files into memory; the index they read and write is Whoosh's own format.
"""

from __future__ import annotations

import contextlib
from typing import Any


def patch_whoosh() -> None:
    """Two fixes to Whoosh 2.7.5, idempotent, each doing nothing if Whoosh changed.

    * It looks for a field's length column on disk (a ``stat``) for every posting of a
      field that has none, when writing a segment; remembering the answer makes committing
      the BBC corpus about twice as fast.
    * ``Searcher.refresh()`` reuses the readers of segments it already had, with the
      deletions they had then, and keeps segments a merge removed: a refreshed searcher
      finds the old copy of every article written again since (an edited article, or one
      whose analysis arrived). Refreshing now opens every segment afresh.

    Two more make indexing text cheaper without changing what is written (about a fifth of
    the text phase's time on the BBC corpus): stems are cached with :func:`functools.lru_cache`
    instead of Whoosh's pure-Python LFU cache, and a segment's field lengths, looked up
    for every posting when a segment is written (and every hit scored), are read from
    their column once.

    And one saves memory: a file inside a compound segment is read straight from the
    segment's memory map (:class:`_MappedFile`) where Whoosh copied every such file whole
    into a ``BytesIO`` when it was opened (the term table of the BBC corpus is 56 MB: each
    searcher held a copy).
    """
    _patch_buffer_files()
    _patch_reader_reuse()
    _patch_stem_cache()
    _patch_field_lengths()
    _patch_inlining()
    from whoosh.codec import whoosh3

    reader_class = getattr(whoosh3, "W3PerDocReader", None)
    original = getattr(reader_class, "_cached_reader", None)
    if original is None or getattr(original, "_broadsheet", False):
        return

    def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        readers = self._readers
        if fieldname not in readers:
            readers[fieldname] = original(self, fieldname, column)
        return readers[fieldname]

    _cached_reader._broadsheet = True  # type: ignore[attr-defined]
    reader_class._cached_reader = _cached_reader  # type: ignore[union-attr]


#: Postings lists shorter than this are inlined into the term table (Whoosh's default: 1,
#: never).
INLINE_BELOW = 4


def _patch_inlining() -> None:
    from whoosh.codec import whoosh3
    from whoosh.matching import mcore

    info = whoosh3.W3TermInfo
    if not hasattr(info, "set_inline") and hasattr(info, "set_inlined"):
        info.set_inline = info.set_inlined
    value = mcore.ListMatcher.value
    if not getattr(value, "_broadsheet", False):
        def fixed_value(self: Any) -> Any:
            found = value(self)
            return b"" if found == "" else found  # bytes, as a block's postings are

        fixed_value._broadsheet = True  # type: ignore[attr-defined]
        mcore.ListMatcher.value = fixed_value
    init = whoosh3.W3Codec.__init__
    if init.__defaults__ == (128, 3, 1):
        init.__defaults__ = (128, 3, INLINE_BELOW)


def _patch_stem_cache() -> None:
    import functools

    from whoosh.analysis.morph import StemFilter

    original = StemFilter.clear
    if getattr(original, "_broadsheet", False):
        return

    def clear(self: Any) -> None:
        original(self)
        size = self.cachesize
        if not self.lang and isinstance(size, int) and size != 0 and size != 1:
            self._stem = functools.lru_cache(maxsize=None if size < 0 else size)(self.stemfn)

    clear._broadsheet = True  # type: ignore[attr-defined]
    StemFilter.clear = clear


def _patch_field_lengths() -> None:
    from whoosh.codec import whoosh3
    from whoosh.columns import NumericColumn
    from whoosh.util.numeric import byte_to_length

    reader_class = whoosh3.W3PerDocReader
    original = reader_class.doc_field_length
    if getattr(original, "_broadsheet", False):
        return

    def doc_field_length(self: Any, docnum: int, fieldname: str, default: int = 0) -> Any:
        cache = self.__dict__.setdefault("_broadsheet_lengths", {})
        raw = cache.get(fieldname)
        if raw is None:
            raw = b""
            reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            if (isinstance(reader, NumericColumn.Reader) and reader._fixedlen == 1
                    and not reader._reverse):
                raw = reader._dbfile.get(reader._basepos, reader._count)
            cache[fieldname] = raw if raw else False
        if not raw or docnum >= len(raw) or docnum < 0:
            return original(self, docnum, fieldname, default)
        lbyte = raw[docnum]
        return byte_to_length(lbyte) if lbyte else None  # (as Whoosh: falls off its end)

    doc_field_length._broadsheet = True  # type: ignore[attr-defined]
    reader_class.doc_field_length = doc_field_length


class _MappedFile:
    """A read-only file over a buffer (a slice of a segment's memory map), as
    :class:`io.BytesIO` reads one but without copying it: only the bytes read are copied,
    and only the pages read are brought into memory."""

    __slots__ = ("_buf", "_pos", "_size")

    def __init__(self, buf: Any) -> None:
        self._buf = memoryview(buf).cast("B") if not isinstance(buf, memoryview) else buf
        self._pos = 0
        self._size = len(self._buf)

    def read(self, size: int | None = -1) -> bytes:
        pos = self._pos
        end = self._size if size is None or size < 0 else min(pos + size, self._size)
        if end <= pos:
            return b""
        self._pos = end
        return self._buf[pos:end].tobytes()

    def readinto(self, target: Any) -> int:
        data = self.read(len(memoryview(target)))
        memoryview(target).cast("B")[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        pos = self._pos
        limit = self._size if size is None or size < 0 else min(pos + size, self._size)
        end = pos
        while end < limit:
            chunk = self._buf[end:min(end + 256, limit)].tobytes()
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        self._pos = end
        return self._buf[pos:end].tobytes()

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += self._size
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def getvalue(self) -> bytes:
        return self._buf.tobytes()

    def write(self, _data: Any) -> int:
        raise OSError("a segment's file is read-only")

    def truncate(self, _size: int | None = None) -> int:
        raise OSError("a segment's file is read-only")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass  # the buffer belongs to the segment's storage, which closes it


def _patch_buffer_files() -> None:
    from whoosh.filedb import structfile

    buffer_file = structfile.BufferFile
    if getattr(buffer_file.__init__, "_broadsheet", False):
        return

    def __init__(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = _MappedFile(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    __init__._broadsheet = True  # type: ignore[attr-defined]
    buffer_file.__init__ = __init__


def _patch_reader_reuse() -> None:
    from whoosh.index import FileIndex

    original = FileIndex.__dict__.get("_reader")
    function = getattr(original, "__func__", None)
    if function is None or getattr(function, "_broadsheet", False):
        return

    def _reader(cls: Any, storage: Any, schema: Any, segments: Any, generation: Any,
                reuse: Any = None) -> Any:
        if reuse is not None:
            with contextlib.suppress(Exception):
                reuse.close()
        return function(cls, storage, schema, segments, generation, None)

    _reader._broadsheet = True  # type: ignore[attr-defined]
    FileIndex._reader = classmethod(_reader)
