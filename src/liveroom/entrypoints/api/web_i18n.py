"""The pages' words: the Babel catalogues of core/i18n.py, chosen per request (the
`liveroom_locale` cookie, else LIVEROOM_LOCALE), and times in the team's timezone."""

from __future__ import annotations

from datetime import datetime

from liveroom.core.clock import local
from liveroom.core.i18n import (  # noqa: F401 - the pages' i18n API, re-exported
    DEFAULT,
    LOCALE_DIR,
    LOCALES,
    gettext,
    install,
    normalise,
    translations,
    untranslated,
)

LOCALE_COOKIE = "liveroom_locale"


def local_clock(value: datetime | str | None, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time in the team's timezone, never UTC on a page."""
    if not value:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return local(at, tz).strftime(fmt)


if __name__ == "__main__":  # make i18n: fail while a zh_CN message has no translation
    missing = untranslated()
    for message in missing:
        print(f"untranslated (zh_CN): {message}")
    raise SystemExit(1 if missing else 0)
