"""Whether the explorer may write to the store: only on loopback, unless deliberately allowed.

The Import page loads files and records review decisions. Bound to a loopback address (the
project's ``.streamlit/config.toml`` sets ``server.address = "127.0.0.1"``) only this machine
reaches it; exposed on another address anyone who reaches it could add or reject facts, so the
page turns read-only unless ``CLIMATEKG_ALLOW_WRITES=1`` says that is intended.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

ALLOW_WRITES = "CLIMATEKG_ALLOW_WRITES"


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` (Streamlit's ``server.address``) reaches only this machine.

    Examples:
        >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1")
        (True, True, True)
        >>> is_loopback(None), is_loopback(""), is_loopback("0.0.0.0"), is_loopback("192.0.2.7")
        (False, False, False, False)
    """
    if not address:
        return False  # Streamlit's default binds every interface
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def write_refusal(address: str | None, environ: Mapping[str, str]) -> str | None:
    """Why writing is refused here, or None when it is allowed.

    Examples:
        >>> write_refusal("127.0.0.1", {}) is None, write_refusal("0.0.0.0", {ALLOW_WRITES: "1"}) is None
        (True, True)
        >>> write_refusal("0.0.0.0", {})[:40]
        'This explorer is reachable from other ma'
    """
    if is_loopback(address) or environ.get(ALLOW_WRITES) == "1":
        return None
    where = address or "every network interface"
    return (
        f"This explorer is reachable from other machines (bound to {where}), so importing, accepting "
        f"and rejecting are turned off. Run it on 127.0.0.1, or set {ALLOW_WRITES}=1 to allow writes."
    )
