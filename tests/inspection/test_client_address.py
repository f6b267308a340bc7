"""Which address sign-in throttling counts a request against."""

import pytest
from django.test import RequestFactory

from config.client_address import client_address

PROXY = "10.0.0.100"


def address(forwarded_for=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, None, PROXY),
        (0, "198.51.100.7", PROXY),  # no proxy configured: the header is the client's word
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),  # the leading entry is spoofed
        (1, " 192.0.2.1 ,198.51.100.7 ", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "2001:DB8:0::1", "2001:db8::1"),  # one address, one spelling
        (1, None, PROXY),  # did not come through the proxy
        (1, "", PROXY),
        (1, "unknown", PROXY),  # not an address: nothing to trust but the peer
        (2, "192.0.2.1, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),  # fewer entries than proxies
    ],
)
def test_the_client_is_as_many_entries_from_the_right_as_there_are_proxies(
    settings, count, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert address(forwarded_for) == expected
