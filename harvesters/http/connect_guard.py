"""The connect-time guard: the address policy applied to the address the socket really reached, so that
DNS rebinding between the check before a request and the connection itself does not help."""

from __future__ import annotations

import socket
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from harvesters.errors import UnsafeURLError
from harvesters.http.addresses import AddressPolicy, as_ip

__all__ = ["GuardedAdapter"]


def _guarded_pool_classes(policy: AddressPolicy) -> dict[str, type[HTTPConnectionPool]]:
    def check_peer(sock: socket.socket, host: str) -> None:
        peer = sock.getpeername()
        ip = as_ip(str(peer[0]))
        reason = policy.refusal(host, ip, int(peer[1])) if ip is not None else f"{host} connected to an unknown address"
        if reason:
            sock.close()
            raise UnsafeURLError(f"Refused to fetch from {host}: {reason}")

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            check_peer(sock, self.host)
            return sock

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            check_peer(sock, self.host)
            return sock

    class GuardedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}


class GuardedAdapter(HTTPAdapter):
    def __init__(self, policy: AddressPolicy) -> None:
        self._pool_classes = _guarded_pool_classes(policy)
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes
