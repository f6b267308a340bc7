"""The address a request really came from, for sign-in throttling.

Behind TRUSTED_PROXY_COUNT reverse proxies, each appending the address it received the
request from to X-Forwarded-For, the client is that many entries from the right. Entries
further left were sent by the client itself and can say anything, so they are never read.
With no proxy (0, the default) the header is ignored: REMOTE_ADDR is the client.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(forwarded) < count:
        # Did not come through every proxy: only the nearest address is known.
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
