"""The network a facility's head marks as its waiting room's (feedback settings): the facility's own
public address(es), from which its survey and complaint form accept more posts per address
(`charter_site.ratelimit`, `WAITING_ROOM_CEILING`).

Kept narrow on purpose: a few addresses of one connection, never a carrier's or a provider's
range, where the higher ceiling would reach far beyond the waiting room.
"""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from charter_site import ratelimit
from charter_site.proxies import Network

MAX_ENTRIES = 8
WIDEST_PREFIX = {4: 24, 6: 48}  # 256 IPv4 addresses; an IPv6 site's usual allocation


def parse_networks(text: str, *, seen_from: str | None = None) -> list[Network]:
    """The networks in `text`, one per line (or separated by spaces or commas): addresses, or
    networks in CIDR notation. ValidationError naming each entry that is not one, or is wider
    than one facility's connection; with `seen_from` (the address the head's request came from),
    also each private or carrier-internal one that does not hold it: that is what a phone's Wi-Fi
    settings show, not what this site sees, unless the site is reached over a private network."""
    entries = list(dict.fromkeys(text.replace(",", " ").split()))
    errors: list[ValidationError] = []
    networks: list[Network] = []
    for entry in entries:
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                ValidationError(
                    _(
                        "“%(entry)s” is not an Internet address or network. Write one per line, "
                        "e.g. 36.90.12.7, 36.90.12.0/28 or 2001:db8:12:3400::/56."
                    ),
                    code="not_an_address",
                    params={"entry": entry},
                )
            )
            continue
        if network.prefixlen < WIDEST_PREFIX[network.version]:
            errors.append(
                ValidationError(
                    _(
                        "%(entry)s is wider than one facility's connection: an IPv4 network may end "
                        "in /24 at the widest, an IPv6 network in /48."
                    ),
                    code="too_wide",
                    params={"entry": entry},
                )
            )
            continue
        if seen_from is not None and not network.is_global and not ratelimit.in_networks(seen_from, [network]):
            errors.append(
                ValidationError(
                    _(
                        "%(entry)s is an address inside a local or carrier network, which this site never "
                        "sees. Enter the facility's public address: on the waiting room's Wi-Fi, it is the "
                        "one shown as “Your address now”."
                    ),
                    code="not_public",
                    params={"entry": entry},
                )
            )
            continue
        if network not in networks:  # 36.90.12.7 and 36.90.12.7/32 are one
            networks.append(network)
    if len(entries) > MAX_ENTRIES:
        errors.append(
            ValidationError(
                _("At most %(count)s addresses or networks."),
                code="too_many",
                params={"count": MAX_ENTRIES},
            )
        )
    if errors:
        raise ValidationError(errors)
    return networks


def validate_networks(text: str) -> None:
    """The model field's validator (also for the admin), without the check that needs a request."""
    parse_networks(text)
