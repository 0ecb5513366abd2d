"""The `dz` program (and `python -m dzcli`): answers `dz --version` at once, else runs the CLI.

Importing the CLI (Typer and every command) is most of what dz spends before doing anything;
a script that checks which dz it has should not wait for it. Anything other than exactly
`dz --version` goes to `dzcli.cli`, which prints the same line for `--version` in any other
company (`dz --debug --version`).
"""

import gc
import sys

from dzcli import process


def main() -> None:
    # dz runs one command and exits: it makes no reference cycles worth finding, and on a big
    # store the cyclic collector would walk every record again and again while it is built
    # (at 250,000 statistics it cost a third of `dz targets`). Memory is freed as usual by
    # reference counting.
    gc.disable()
    if sys.stdout is None:  # started with stdout closed (dz >&-): nowhere to answer
        process.say("dz: error: cannot write output: stdout is closed")
        sys.exit(1)
    if sys.argv[1:] == ["--version"]:
        _version()
        return
    from dzcli.cli import main as run_cli

    try:
        run_cli()
    finally:
        # Python's shutdown runs full garbage collections over every object dz has loaded
        # (Typer, the commands, the store): about a sixth of a short run. Nothing here needs
        # collecting: moved out of the collector's sight, the objects are simply freed.
        gc.freeze()


def _version() -> None:
    from dzcli import __version__

    process.die_quietly_on_closed_pipe()
    try:
        sys.stdout.write(f"dz {__version__}\n")
        sys.stdout.flush()
    except OSError as error:
        process.silence(sys.stdout)  # nothing was written: the final flush must not try again
        process.say(f"dz: error: cannot write output: {process.reason(error)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
