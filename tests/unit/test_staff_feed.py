"""The staff calendar feed of a resource: its URL's signature is an HMAC of the resource id under
the server's key, given only to those who manage the resource, and the feed opens only with it."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.unit.fake_world import AGENT, AGENT_SCHAERBEEK, resources_uow
from vilco_core.calendars import feed_signature, feed_signature_matches
from vilco_core.errors import VilcoError
from vilco_core.services import resources

KEY = b"k" * 32


def test_signature_is_per_resource_and_per_key() -> None:
    assert feed_signature(1, KEY) == feed_signature(1, KEY)
    assert len(feed_signature(1, KEY)) == 32
    assert feed_signature(1, KEY) != feed_signature(2, KEY)
    assert feed_signature(1, KEY) != feed_signature(1, b"j" * 32)
    assert feed_signature_matches(1, KEY, feed_signature(1, KEY))
    assert not feed_signature_matches(2, KEY, feed_signature(1, KEY))
    assert not feed_signature_matches(1, b"", feed_signature(1, b""))  # no key: no feed


def test_only_a_manager_gets_the_signature() -> None:
    uow, ids = resources_uow()
    library = ids["library"]
    assert resources.staff_feed_signature(uow, AGENT, library, KEY) == feed_signature(library, KEY)
    with pytest.raises(VilcoError, match="forbidden"):
        resources.staff_feed_signature(uow, AGENT_SCHAERBEEK, library, KEY)
    with pytest.raises(VilcoError, match="forbidden"):
        resources.staff_feed_signature(uow, None, library, KEY)


def test_the_feed_opens_only_with_the_right_signature() -> None:
    uow, ids = resources_uow()
    library = ids["library"]
    body = resources.staff_feed(uow, library, feed_signature(library, KEY), KEY, "fr")
    assert Calendar.from_ical(body).get("X-WR-CALNAME")
    for signature, key in ((feed_signature(library, KEY), b"j" * 32), ("0" * 32, KEY),
                           (feed_signature(ids["hall"], KEY), KEY), ("", b"")):  # fmt: skip
        with pytest.raises(VilcoError) as refused:
            resources.staff_feed(uow, library, signature, key, "fr")
        assert refused.value.code == "resources.bad_link"
