"""The outbound-URL guard: the channel manager never calls into our own network.

Every URL a user can set (a connection's iCal import URL) is checked when it is saved
(`validate_url`), and every connection the channel HTTP client opens — the first request
and each redirect hop — is checked again when it connects (`connect_address`), because DNS
can change between the two. The host is resolved and refused when any of its addresses is
loopback, private, link-local, CGNAT, multicast, reserved or unspecified, whatever its
spelling (IPv6, IPv4-mapped, decimal, hex or octal IPv4 all resolve to the same address).
The client then connects to the address it checked, so a second lookup cannot swap it.

`CHANNELS_ALLOWED_PRIVATE_HOSTS` (exact host names or CIDRs) lets the simulator, tests and
intranet feeds through.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64 well-known prefix).
NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOWED_SCHEMES = ("http", "https")


class UrlNotAllowed(ValueError):
    """The URL points at an address the channel manager must not call."""


def embedded_ipv4(address: IpAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, Teredo, NAT64)."""
    if address.version != 6:
        return None
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)


def is_public(address: IpAddress) -> bool:
    """Globally routable unicast, also for the IPv4 address inside an IPv6 one."""
    inner = embedded_ipv4(address)
    if inner is not None and not is_public(inner):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified
                                      or address.is_loopback or address.is_link_local)


def allowed_private_hosts() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """CHANNELS_ALLOWED_PRIVATE_HOSTS split into exact host names and networks."""
    entries = current_app.config.get("CHANNELS_ALLOWED_PRIVATE_HOSTS", []) if has_app_context() else []
    names, networks = set(), []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return names, networks


def resolve(host: str, port: int) -> list[IpAddress]:
    """Every address the host resolves to (IP literals in any spelling resolve to themselves)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise socket.gaierror(f"Cannot resolve host: {exc}") from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def checked_addresses(host: str, port: int) -> list[IpAddress]:
    """The host's addresses; UrlNotAllowed when any of them is not public and not allowed."""
    names, networks = allowed_private_hosts()
    addresses = resolve(host, port)
    if host.lower().rstrip(".") in names:
        return addresses
    for address in addresses:
        if not is_public(address) and not any(address in network for network in networks):
            raise UrlNotAllowed("URL points to a private or reserved network address")
    return addresses


def validate_url(url: str) -> None:
    """Save-time check of a URL a user sets. Raises UrlNotAllowed.

    A host that does not resolve now is accepted: it cannot reach anything, and the
    connect-time check refuses it later should it resolve to a private address.
    """
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UrlNotAllowed("URL has an invalid port") from None
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
        raise UrlNotAllowed("Must be an http(s) URL")
    if parts.username or parts.password:
        raise UrlNotAllowed("URL must not contain credentials")
    try:
        checked_addresses(parts.hostname, port)
    except socket.gaierror:
        return


def connect_address(host: str, port: int) -> str:
    """Connect-time check of every connection the channel HTTP client opens: the address to
    connect to. Raises UrlNotAllowed (or socket.gaierror when the host does not resolve)."""
    return str(checked_addresses(host, port)[0])


class GuardedConnectionMixin:
    """Connects to the address `connect_address` checked; TLS still verifies the host name."""

    def _new_conn(self):
        host = self._dns_host
        self._dns_host = connect_address(host, self.port)
        try:
            return super()._new_conn()
        finally:
            self._dns_host = host


class GuardedHTTPConnection(GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests transport whose every connection (redirect hops included) passes the guard."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": GuardedHTTPConnectionPool,
                                                   "https": GuardedHTTPSConnectionPool}
