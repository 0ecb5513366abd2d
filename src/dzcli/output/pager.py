"""A table longer than the terminal goes through a pager, as gh's output does.

The pager is `DZ_PAGER`, else `PAGER`, else `less -FRX`; set to nothing or to `cat`, there is
none. It runs only when stdout is a terminal, and only for a table taller than the terminal
(shorter ones are written as they are, as `less -F` would show them anyway): a pipe, a file or a
short answer never waits for a key. Standard library only; subprocess is imported only to page.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Mapping
from typing import TextIO

DEFAULT = "less -FRX"  # quit if one screen, pass colour through, leave the text on the screen


def command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager to run, as its words, or None for none."""
    chosen = next((environ[name] for name in ("DZ_PAGER", "PAGER") if name in environ), DEFAULT)
    import shlex

    try:
        words = shlex.split(chosen)
    except ValueError:  # an unbalanced quote: no pager rather than a guess
        return None
    return None if not words or words == ["cat"] else words


@contextlib.contextmanager
def paged() -> Iterator[TextIO]:
    """Where a table is drawn: stdout, or, on a terminal with a pager, a buffer that goes to
    the pager if it is taller than the terminal and to stdout if it is not."""
    words = command(os.environ) if _on_a_terminal() else None
    if words is None:
        yield sys.stdout
        return
    buffer = io.StringIO()
    yield buffer
    text = buffer.getvalue()
    if _fits(text) or not _page(words, text):
        sys.stdout.write(text)
        sys.stdout.flush()


def _on_a_terminal() -> bool:
    try:
        return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _fits(text: str) -> bool:
    """Whether `text` fits the terminal's height with a line to spare (for the prompt)."""
    try:
        lines = os.get_terminal_size(sys.stdout.fileno()).lines
    except (OSError, ValueError):
        lines = 0
    return 0 < text.count("\n") < lines  # a height unknown (0): let the pager decide


def _page(words: list[str], text: str) -> bool:
    """Show `text` through the pager and wait for it to end; False if it could not start."""
    import signal
    import subprocess

    environ = dict(os.environ)
    environ.setdefault("LESS", "FRX")  # PAGER=less: as `less -FRX` (gh does the same)
    environ.setdefault("LV", "-c")  # lv, a pager of CJK users: pass colour through
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(words, stdin=subprocess.PIPE, env=environ)
    except OSError:  # not installed, not executable: the table is written as it is
        return False
    # While the pager runs, Ctrl-C is for it (less keeps running), and a pager quit before
    # reading everything is no error of dz's.
    pipe = getattr(signal, "SIGPIPE", None)  # not on Windows
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    broken_pipe = None if pipe is None else signal.signal(pipe, signal.SIG_IGN)
    try:
        pager.communicate(text.encode("utf-8"))
    finally:
        signal.signal(signal.SIGINT, interrupt)
        if pipe is not None:
            signal.signal(pipe, broken_pipe)
    return True
