"""The address policy: which hosts a harvester may contact (SSRF guard, checked before each request).

Loopback, private, link-local, reserved, multicast and cloud-metadata addresses are refused, unless the
caller lists the host, the address, a range or the exact ``host:port``, or a block of code allows it
for itself with :func:`allow_temporarily` (a demo's own sample server). ``connect_guard.py`` applies
the same policy again to the address the socket really reached.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from harvesters.errors import FetchError, Refusal, UnsafeURLError
from harvesters.http.urls import redact_url

__all__ = ["AddressPolicy", "Resolver", "allow_temporarily", "as_ip", "check_url", "check_url_allowed",
           "default_resolver"]

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
ALLOW_HINT = "set ckanext.openoverheid.allowed_private_hosts if this host is yours"

# Cloud metadata services: only allowed when their exact address is listed, never by a range.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("fd00:ec2::254"),
        ipaddress.ip_address("100.100.100.200"),
    }
)

Resolver = Callable[[str], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def default_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def as_ip(text: str) -> IPAddress | None:
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0].strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _is_public(ip: IPAddress) -> bool:
    return ip.is_global and not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def _host_port(entry: str) -> tuple[str, int] | None:
    """``("127.0.0.1", 8080)`` for an entry ``127.0.0.1:8080``, ``[::1]:8080`` or ``name:8080``; else None."""
    host, sep, port = entry.rpartition(":")
    if not sep or not port.isdigit() or not host or (":" in host and not host.startswith("[")):
        return None  # no port, or a bare IPv6 address such as ``fd00::1``
    return host.strip("[]").lower().rstrip("."), int(port)


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts and addresses may be contacted although they are not public.

    An entry is a host name, an address, a CIDR range, or an exact ``host:port`` (a name or an
    address with its port), which allows that one port and nothing else of the host.
    """

    host_names: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    endpoints: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AddressPolicy:
        names: set[str] = set()
        networks = []
        endpoints: set[tuple[str, int]] = set()
        for entry in entries:
            entry = entry.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            endpoint = _host_port(entry)
            if endpoint is not None:
                host, port = endpoint
                ip = as_ip(host)
                endpoints.add((str(ip) if ip is not None else host, port))
            else:
                names.add(entry.lower().rstrip("."))
        return cls(frozenset(names), tuple(networks), frozenset(endpoints))

    def merged(self, other: AddressPolicy) -> AddressPolicy:
        return AddressPolicy(self.host_names | other.host_names, self.networks + other.networks,
                              self.endpoints | other.endpoints)

    def _endpoint_listed(self, host: str, ip: IPAddress, port: int | None) -> bool:
        return port is not None and bool(
            {(host.lower().rstrip("."), port), (str(ip), port)} & self.endpoints
        )

    def refusal(self, host: str, ip: IPAddress, port: int | None = None) -> str | None:
        """Why ``ip`` (an address of ``host``, on ``port``) may not be contacted, or None when it may."""
        policy = self.merged(_temporary_policy.get())
        if ip in METADATA_ADDRESSES:
            if any(net.num_addresses == 1 and ip in net for net in policy.networks):
                return None
            if policy._endpoint_listed(host, ip, port):
                return None
            return f"{ip} is a cloud metadata address; list it exactly in allowed_private_hosts if you really mean it"
        if _is_public(ip):
            return None
        if host.lower().rstrip(".") in policy.host_names or any(ip in net for net in policy.networks):
            return None
        if policy._endpoint_listed(host, ip, port):
            return None
        return f"{host} resolves to {ip}, a loopback, private or reserved address; {ALLOW_HINT}"


# What the running block allows besides the caller's list (see allow_temporarily). A context
# variable: it holds for this thread (or task) only, and only while the block runs.
_NOTHING_MORE = AddressPolicy()  # frozen: safe to share as the default
_temporary_policy: contextvars.ContextVar[AddressPolicy] = contextvars.ContextVar(
    "harvesters_http_temporary_policy", default=_NOTHING_MORE
)


@contextmanager
def allow_temporarily(entries: Iterable[str]) -> Iterator[None]:
    """Allow ``entries`` (best an exact ``host:port``) in this thread while the block runs.

    For a demo that serves its sample data on 127.0.0.1 and harvests it in the same process: the
    portal's configuration stays closed, and nothing else (another thread, a web worker, a later
    harvest of the same source) gains the exception.
    """
    token = _temporary_policy.set(_temporary_policy.get().merged(AddressPolicy.from_entries(entries)))
    try:
        yield
    finally:
        _temporary_policy.reset(token)


def check_url(url: str, policy: AddressPolicy, resolver: Resolver) -> None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as error:
        raise UnsafeURLError(
            f"{redact_url(url)} is not a valid URL ({error}); check the address", source_url=redact_url(url),
            refusal=Refusal.INVALID,
        ) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(
            f"{redact_url(url)} uses the scheme {parts.scheme or '(none)'!r}; "
            "only http and https URLs can be harvested",
            source_url=redact_url(url), refusal=Refusal.SCHEME,
        )
    if not host:
        raise UnsafeURLError(f"{redact_url(url)} has no host name; check the address", source_url=redact_url(url),
                             refusal=Refusal.NO_HOST)
    literal = as_ip(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            resolved = resolver(host)
        except (OSError, UnicodeError) as error:
            raise FetchError(
                f"The host {host} could not be found ({error}); check the URL or try again later",
                source_url=redact_url(url),
            ) from None
        addresses = [ip for ip in (as_ip(a) for a in resolved) if ip is not None]
        if not addresses:
            raise FetchError(f"The host {host} has no address; check the URL", source_url=redact_url(url))
    port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    for ip in addresses:
        reason = policy.refusal(host, ip, port)
        if reason:
            raise UnsafeURLError(
                f"Refused to fetch {redact_url(url)}: {reason}", source_url=redact_url(url), host=host, address=str(ip),
                refusal=Refusal.METADATA if ip in METADATA_ADDRESSES else Refusal.PRIVATE,
            )


def check_url_allowed(url: str, allowed_private_hosts: Iterable[str] = (), resolver: Resolver | None = None) -> None:
    """Raise UnsafeURLError unless ``url`` is http(s) and every address of its host may be contacted.

    Public addresses are always allowed. Others only when the host name, the address, a CIDR
    range containing it or the exact ``host:port`` is in ``allowed_private_hosts`` (or allowed by
    :func:`allow_temporarily`); cloud metadata addresses only when listed exactly. A host with
    several addresses must pass for each of them.
    """
    check_url(url, AddressPolicy.from_entries(allowed_private_hosts), resolver or default_resolver)
