"""Tables for people. The only module that imports Rich."""

from __future__ import annotations

import os
import re
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dzcli.views import Lang, Listing, View

# C0/C1 controls and bidirectional overrides would move the cursor, recolour the terminal or
# reorder the line; data is shown literally, so they are printed as escapes instead.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    return _INVISIBLE.sub(
        lambda m: (
            f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}"
        ),
        text,
    )


def make_console(color: bool | None) -> Console:
    """A console for this run: colour only on a terminal, honouring NO_COLOR and FORCE_COLOR."""
    terminal = sys.stdout.isatty()
    no_color = (
        color is False or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    )
    force = color is True or (bool(os.environ.get("FORCE_COLOR")) and not no_color)
    return Console(
        file=sys.stdout,
        force_terminal=True if force else (False if not terminal else None),
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        markup=False,
        emoji=False,
        # Piped tables keep every cell whole on one line, so grep and cut see whole records.
        width=None if terminal else 100_000,
        soft_wrap=False,
    )


def print_listing(listing: Listing, lang: Lang, color: bool | None = None) -> None:
    console = make_console(color)
    view = listing.view
    if not listing.rows:
        console.print(Text(view.empty(lang)))
        return
    if view.group is None:
        console.print(_table(view, listing.rows, lang, view.title(lang)))
        return
    groups: dict[str, list[dict[str, object]]] = {}
    for row in listing.rows:
        groups.setdefault(view.group(row, lang), []).append(row)
    for heading, rows in groups.items():
        console.print(_table(view, rows, lang, heading))


def _table(view: View, rows: list[dict[str, object]], lang: Lang, title: str) -> Table:
    table = Table(
        title=Text(visible(title), style="bold"), title_justify="left", header_style="bold"
    )
    for column in view.columns:
        table.add_column(
            Text(column.heading(lang)),
            justify="right" if column.numeric else "left",
            overflow="fold",
        )
    for row in rows:
        table.add_row(*(Text(visible(column.cell(row, lang))) for column in view.columns))
    return table
