"""The `dz` program (and `python -m dzcli`): answers `dz --version` at once, else runs the CLI.

Importing the CLI (Typer and every command) is most of what dz spends before doing anything;
a script that checks which dz it has should not wait for it. Anything other than exactly
`dz --version` goes to `dzcli.cli`, which prints the same line for `--version` in any other
company (`dz --debug --version`).
"""

import contextlib
import gc
import os
import signal
import sys


def main() -> None:
    if sys.stdout is None:  # started with stdout closed (dz >&-): nowhere to answer
        if sys.stderr is not None:
            sys.stderr.write("dz: error: cannot write output: stdout is closed\n")
        sys.exit(1)
    if sys.argv[1:] == ["--version"]:
        from dzcli import __version__

        if hasattr(signal, "SIGPIPE"):  # as dzcli.cli.main: a closed pipe ends dz quietly
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        try:
            sys.stdout.write(f"dz {__version__}\n")
            sys.stdout.flush()
        except OSError as error:
            sys.stderr.write(f"dz: error: cannot write output: {str(error.strerror).lower()}\n")
            # Nothing was written, and Python's final flush must not try again.
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        return
    from dzcli.cli import main as run_cli

    try:
        run_cli()
    finally:
        # Python's shutdown runs full garbage collections over every object dz has loaded
        # (Typer, the commands, the store): about a sixth of a short run. Nothing here needs
        # collecting: moved out of the collector's sight, the objects are simply freed.
        gc.freeze()


if __name__ == "__main__":
    main()
