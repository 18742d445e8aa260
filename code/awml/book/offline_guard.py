"""A guard that refuses and records any connection leaving this machine.

Installed in every Python process of an offline book build (through the ``sitecustomize``
in ``netguard/``) and in tests. Loopback and Unix sockets stay allowed: Jupyter kernels
talk to the build over them. A refused attempt raises ``ConnectionRefusedError`` in the
code that tried it and appends one line to the log, so that a library which swallows the
error is still caught: the build fails when the log is not empty.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import traceback

GUARD_DIR = os.path.join(os.path.dirname(__file__), "netguard")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}
_installed = False


def is_local(host) -> bool:
    """True for loopback addresses and names, and for Unix socket paths."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip("[]").split("%")[0]
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _record(log_path: str, target: str) -> None:
    import sysconfig

    stdlib = sysconfig.get_paths()["stdlib"]
    frames = [frame for frame in traceback.extract_stack()
              if "offline_guard" not in frame.filename]
    outside = [frame for frame in frames if not frame.filename.startswith(stdlib)]
    frame = (outside or frames or [None])[-1]
    caller = f"{frame.filename}:{frame.lineno}" if frame else "?"
    with open(log_path, "a") as log:
        log.write(f"pid {os.getpid()}: connection to {target} refused (from {caller})\n")


def install(log_path: str) -> None:
    """Patch the socket module so that non-local connections are logged and refused."""
    global _installed
    if _installed:
        return
    _installed = True
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def refuse(target: str):
        _record(log_path, target)
        raise ConnectionRefusedError(f"offline build: connection to {target} refused")

    def check(sock, address) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            refuse(f"{address[0]}:{address[1]}")

    def connect(self, address):
        check(self, address)
        return original_connect(self, address)

    def connect_ex(self, address):
        check(self, address)
        return original_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not is_local(host):
            refuse(f"{host} (name lookup)")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
