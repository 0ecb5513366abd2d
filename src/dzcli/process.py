"""How the dz process treats its streams and signals, for the `dz --version` fast path and the CLI.

Standard library only: `dz --version` uses it without importing the CLI.
"""

import contextlib
import io
import os
import signal
import sys
from typing import TextIO


def die_quietly_on_closed_pipe() -> None:
    """`dz … | head` closes the pipe early: stop at once and quietly, as cat and grep do,
    rather than fail on the next write. dz opens no sockets, which this would also affect."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def silence(stream: TextIO | None) -> None:
    """Point `stream`'s descriptor at /dev/null once a write to it has failed, so that
    Python's final flush of what could not be written adds no second message (the way the
    Python docs advise for a broken pipe). A closed stream has nothing left to silence."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def say(line: str) -> None:
    """Write one line to stderr if anyone can read it. A closed or full stderr must not turn
    dz's answer into another one: the exit code still says what happened."""
    stream = sys.stderr
    if stream is None:  # started with stderr closed (dz 2>&-)
        return
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, ValueError):  # full (2>/dev/full), or closed under us
        silence(stream)


quiet = False
"""`--quiet`: no informational line on stderr (`inform`); errors are still said. Set by the
option, reset at the start of every run (dzcli.cli.application)."""


def inform(line: str) -> None:
    """Say `line` on stderr unless `--quiet` asked for silence: a line that tells, not one that
    warns (a store created, rows not shown, progress)."""
    if not quiet:
        say(line)


def reason(error: OSError) -> str:
    """The system's words for a failed write: `no space left on device`."""
    return (error.strerror or str(error)).lower()


def restart_in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode if the locale says otherwise (LC_ALL=C PYTHONUTF8=0).

    The store is UTF-8 and so is everything dz prints. In another encoding, Python would read
    `dz search 威讯` as undecodable bytes and find nothing, and could not print a Chinese
    table; UTF-8 mode reads arguments and paths as UTF-8 and writes UTF-8.
    """
    if sys.flags.utf8_mode or sys.getfilesystemencoding() == "utf-8":
        write_utf8()  # PYTHONIOENCODING may still name another encoding for stdout
        return
    if os.environ.get("PYTHONUTF8") != "1" and sys.executable:
        os.environ["PYTHONUTF8"] = "1"  # also what stops a second restart
        with contextlib.suppress(OSError):  # then carry on as below
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    # No restart (or it failed): at least write UTF-8, never fail on a character.
    write_utf8()


def write_utf8() -> None:
    """Make stdout and stderr write UTF-8, whatever PYTHONIOENCODING or the locale say."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if isinstance(stream, io.TextIOWrapper) and encoding != "utf8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
