"""One window per library: a second launch hands its files to the first and exits.

The first Broadsheet started on a data directory listens on a local socket
(:class:`~PySide6.QtNetwork.QLocalServer`) whose name is derived from the user and the
data directory, so two libraries (or two test runs with their own ``tmp_path``) never
collide. A later launch on the same data directory connects, sends one JSON line
``{"paths": [...]}`` and waits for ``ok``; the first window opens the files and comes to
the front.

A socket left behind by a crashed Broadsheet refuses connections; it is removed and the
new launch takes over. A lock file in the data directory makes the check-then-listen step
atomic, so two launches at the same moment cannot both become the first.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

#: Milliseconds a second launch waits for the first to answer before starting on its own.
TIMEOUT_MS = 3000

_PROTOCOL = 1


def server_name(data_dir: Path) -> str:
    """The socket name for ``data_dir``: per user and per library, short enough for
    ``sun_path`` (Qt puts it under the temporary directory on Unix)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a container with an unknown uid)
        user = "user"
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32]
    digest = hashlib.sha1(str(Path(data_dir).resolve()).encode("utf-8", "surrogateescape"))
    return f"broadsheet-{user}-{digest.hexdigest()[:16]}"


class SingleInstance(QObject):
    """The first launch's server, or a later launch's messenger.

    Call :meth:`claim` once: ``True`` means this process is the first and now listens;
    ``False`` means :meth:`claim` has already handed ``paths`` to the window that is
    open, and this process should exit.

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
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def claim(self, paths: Sequence[Path] = ()) -> bool:
        """Become the first instance, or hand ``paths`` to it; see the class docstring."""
        lock = QLockFile(str(self._lock_path))
        lock.setStaleLockTime(TIMEOUT_MS * 3)
        locked = lock.tryLock(TIMEOUT_MS)  # if it fails we go on anyway: better two
        try:                               # windows than none
            if self.send(paths):
                return False
            self._listen()
            return True
        finally:
            if locked:
                lock.unlock()

    def send(self, paths: Sequence[Path]) -> bool:
        """Hand ``paths`` to a running instance; ``True`` if it acknowledged them."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(TIMEOUT_MS):
            return False  # nobody listening, or a stale socket from a crash
        message = {"protocol": _PROTOCOL, "paths": [str(p) for p in paths]}
        socket.write(QByteArray(json.dumps(message).encode("utf-8") + b"\n"))
        if not socket.waitForBytesWritten(TIMEOUT_MS):
            return False
        # Someone accepted the message. A window busy for a moment answers late (or after
        # we have gone: the message waits in the socket); it is still the window, so only
        # an explicit refusal counts as not delivered.
        reply = b""
        while b"\n" not in reply and socket.waitForReadyRead(TIMEOUT_MS):
            reply += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return not reply.startswith(b"error")

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    # -- the first instance's side -------------------------------------------------

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if (not server.listen(self.name)
                and server.serverError() == QAbstractSocket.SocketError.AddressInUseError):
            # The socket of a Broadsheet that crashed: nobody answered on it above.
            QLocalServer.removeServer(self.name)
            server.listen(self.name)
        if not server.isListening():
            # Still no server (e.g. a read-only /tmp): this window works, it just cannot
            # receive files from later launches.
            return
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            message = json.loads(line.decode("utf-8"))
            paths = [str(p) for p in message.get("paths", [])]
        except (ValueError, AttributeError, TypeError):
            socket.write(QByteArray(b"error\n"))
            socket.disconnectFromServer()
            return
        socket.write(QByteArray(b"ok\n"))
        socket.flush()
        socket.disconnectFromServer()
        self.activationRequested.emit()
        self.filesReceived.emit(paths)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
