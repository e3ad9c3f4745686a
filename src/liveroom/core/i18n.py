"""Words a person reads come from Babel message catalogues (web/locale/<locale>/LC_MESSAGES/
messages.po). Message ids are English; zh_CN is the default catalogue, en is the switch.

The .po files are the source of truth and ship as package data: they are compiled in
memory on first use, so a fresh `make install` needs no build step (`make i18n` extracts
new ids and checks the catalogues). The pages (entrypoints/api/web_i18n.py) and the
review's report files (review/render.py) read the same catalogues."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALE_DIR = Path(__file__).resolve().parents[1] / "web" / "locale"
LOCALES = ("zh_CN", "en")
DEFAULT = "zh_CN"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention marks ids for extraction
    return message


def normalise(code: str | None, default: str = DEFAULT) -> str:
    """'zh-CN', 'zh_cn', 'zh' → 'zh_CN'; 'en-US' → 'en'; anything else → the default."""
    if not code:
        return default
    low = code.replace("-", "_").lower()
    for loc in LOCALES:
        if low == loc.lower() or low.split("_")[0] == loc.split("_")[0]:
            return loc
    return default


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> Translations:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def gettext(locale: str, message: str, **variables: Any) -> str:
    text = translations(locale).gettext(message)
    return text % variables if variables else text


def _locale_of(ctx: Context) -> str:
    return str(ctx.get("locale") or DEFAULT)


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return translations(_locale_of(ctx)).gettext(message)


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return translations(_locale_of(ctx)).ngettext(singular, plural, n)


def install(env: Any) -> None:
    """jinja2.ext.i18n with per-render catalogues: each template reads `locale` from its
    context, so one environment serves both languages at once."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)


def untranslated(locale: str = DEFAULT) -> list[str]:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        return [str(m.id) for m in read_po(f, locale=locale) if m.id and not m.string]
