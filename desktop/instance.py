"""One window per library: a second launch hands its files to the first and exits.

The first Broadsheet started on a data directory listens on a local socket whose name is
derived from the user and the data directory, so two libraries (or two test runs with their
own ``tmp_path``) never collide. A later launch on the same data directory connects, sends
one JSON line ``{"paths": [...]}`` and waits for ``ok``; the first window opens the files
and comes to the front.

On Linux and macOS the socket is a Unix-domain socket file in the temporary directory (where
:class:`~PySide6.QtNetwork.QLocalServer` puts it), and the check before the window is made
loads neither QtNetwork nor :mod:`socket` (whose wrapper builds four enums of every socket
constant when imported): ``_socket``, the C module under it, connects (a later launch) or
binds and listens (the first). After the window's first paint, :meth:`SingleInstance.serve`
hands the listening socket to a ``QLocalServer``, which answers; a launch that connected in
between waits in the socket's backlog and is answered then. On Windows (named pipes)
``QLocalSocket`` and ``QLocalServer`` do both from the start.

A socket left behind by a crashed Broadsheet refuses connections; it is removed and the
new launch takes over. A lock file in the data directory makes the check-then-listen step
atomic, so two launches at the same moment cannot both become the first.
"""

from __future__ import annotations

import _socket  # socket's C module: see the module docstring
import contextlib
import getpass
import os
import re
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: Milliseconds a second launch waits for the first to answer before starting on its own.
TIMEOUT_MS = 3000

_PROTOCOL = 1

#: Whether the socket is a file that Python's ``socket`` module can reach (not a named pipe).
UNIX_SOCKETS = sys.platform != "win32"


def server_name(data_dir: Path) -> str:
    """The socket name for ``data_dir``: per user and per library (a CRC-32 of its path:
    zlib is loaded already, hashlib and OpenSSL are not), short enough for ``sun_path`` (it
    is put in the temporary directory on Unix)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a container with an unknown uid)
        user = "user"
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32]
    digest = zlib.crc32(str(Path(data_dir).resolve()).encode("utf-8", "surrogateescape"))
    return f"broadsheet-{user}-{digest:08x}"


def socket_path(name: str) -> str:
    """Where the socket file of ``name`` is on Unix: in ``QDir.tempPath()`` ($TMPDIR, else
    /tmp, symbolic links resolved), as ``QLocalServer.listen(name)`` would put it."""
    return os.path.join(os.path.realpath(os.environ.get("TMPDIR") or "/tmp"), name)


def _message(paths: Sequence[Path]) -> bytes:
    import json

    return json.dumps({"protocol": _PROTOCOL, "paths": [str(p) for p in paths]}).encode(
        "utf-8") + b"\n"


def _paths(line: bytes) -> list[str] | None:
    """The paths of a message line, or None if it is not one."""
    import json

    try:
        message = json.loads(line.decode("utf-8"))
        return [str(p) for p in message.get("paths", [])]
    except (ValueError, AttributeError, TypeError):
        return None


class SingleInstance(QObject):
    """The first launch's server, or a later launch's messenger.

    Call :meth:`claim` once: ``True`` means this process is the first and now listens;
    ``False`` means :meth:`claim` has already handed ``paths`` to the window that is
    open, and this process should exit. The first calls :meth:`serve` once its window is
    up: from then on it answers (see the module docstring).

    Signals:
        filesReceived(list): absolute paths (``str``) a later launch asked to open; may
            be empty (the user only started Broadsheet again).
        activationRequested(): a later launch asked for the window to come to the front.
    """

    filesReceived = Signal(list)
    activationRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._lock_path = Path(data_dir) / "instance.lock"
        self._socket: _socket.socket | None = None  # bound and listening, not served yet
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def listening(self) -> bool:
        """Whether a later launch reaches this one (it may wait for :meth:`serve`)."""
        return self._socket is not None or (
            self._server is not None and self._server.isListening())

    def claim(self, paths: Sequence[Path] = ()) -> bool:
        """Become the first instance, or hand ``paths`` to it; see the class docstring."""
        lock = QLockFile(str(self._lock_path))
        lock.setStaleLockTime(TIMEOUT_MS * 3)
        locked = lock.tryLock(TIMEOUT_MS)  # if it fails we go on anyway: better two
        try:                               # windows than none
            if self.send(paths):
                return False
            if UNIX_SOCKETS:
                self._bind()
            else:
                self._listen()
            return True
        finally:
            if locked:
                lock.unlock()

    def send(self, paths: Sequence[Path]) -> bool:
        """Hand ``paths`` to a running instance; ``True`` if it acknowledged them."""
        if not UNIX_SOCKETS:
            return self._send_qt(paths)
        client = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            client.settimeout(TIMEOUT_MS / 1000)
            try:
                client.connect(socket_path(self.name))
            except OSError:
                return False  # nobody listening, or a stale socket from a crash
            try:
                client.sendall(_message(paths))
            except OSError:
                return False
            # Someone accepted the message. A window busy for a moment (or still painting
            # its first frame) answers late, or after we have gone: the message waits in
            # the socket. It is still the window, so only an explicit refusal counts as
            # not delivered.
            reply = b""
            with contextlib.suppress(OSError):  # a timeout, or the window closed it
                while b"\n" not in reply and (chunk := client.recv(256)):
                    reply += chunk
            return not reply.startswith(b"error")
        finally:
            client.close()

    def serve(self) -> None:
        """Answer later launches from now on (the first instance, its window up)."""
        if self._socket is None:
            return
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.newConnection.connect(self._on_new_connection)
        if server.listen(self._socket.detach()):
            self._server = server
        self._socket = None

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
            with contextlib.suppress(OSError):
                os.unlink(socket_path(self.name))
        if self._server is not None:
            self._server.close()
            self._server = None

    # -- the first instance's side -------------------------------------------------

    def _bind(self) -> None:
        """Listen on the socket file (Unix), owner-only like ``UserAccessOption``."""
        path = socket_path(self.name)
        listener = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            try:
                listener.bind(path)
            except OSError:
                # The socket of a Broadsheet that crashed: nobody answered on it above.
                with contextlib.suppress(OSError):
                    os.unlink(path)
                listener.bind(path)
            listener.listen(50)
        except OSError:
            # Still no socket (e.g. a read-only /tmp): this window works, it just cannot
            # receive files from later launches.
            listener.close()
            return
        finally:
            os.umask(old_umask)
        self._socket = listener

    def _send_qt(self, paths: Sequence[Path]) -> bool:
        """:meth:`send` over ``QLocalSocket`` (a named pipe on Windows)."""
        from PySide6.QtNetwork import QLocalSocket

        client = QLocalSocket()
        client.connectToServer(self.name)
        if not client.waitForConnected(TIMEOUT_MS):
            return False
        client.write(QByteArray(_message(paths)))
        if not client.waitForBytesWritten(TIMEOUT_MS):
            return False
        reply = b""
        while b"\n" not in reply and client.waitForReadyRead(TIMEOUT_MS):
            reply += bytes(client.readAll().data())
        client.disconnectFromServer()
        return not reply.startswith(b"error")

    def _listen(self) -> None:
        """Listen with ``QLocalServer`` at once (Windows)."""
        from PySide6.QtNetwork import QAbstractSocket, QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if (not server.listen(self.name)
                and server.serverError() == QAbstractSocket.SocketError.AddressInUseError):
            QLocalServer.removeServer(self.name)
            server.listen(self.name)
        if not server.isListening():
            return
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (client := self._server.nextPendingConnection()) is not None:
            self._buffers[client] = b""
            client.readyRead.connect(lambda s=client: self._on_ready_read(s))
            client.disconnected.connect(lambda s=client: self._forget(s))
            if client.bytesAvailable():
                self._on_ready_read(client)

    def _on_ready_read(self, client: QLocalSocket) -> None:
        data = self._buffers.get(client, b"") + bytes(client.readAll().data())
        if b"\n" not in data:
            self._buffers[client] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[client] = b""
        paths = _paths(line)
        if paths is None:
            client.write(QByteArray(b"error\n"))
            client.disconnectFromServer()
            return
        client.write(QByteArray(b"ok\n"))
        client.flush()
        client.disconnectFromServer()
        self.activationRequested.emit()
        self.filesReceived.emit(paths)

    def _forget(self, client: QLocalSocket) -> None:
        self._buffers.pop(client, None)
        client.deleteLater()
