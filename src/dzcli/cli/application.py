"""The Typer app and its error policy: every failure becomes one line on stderr and an exit code.

Exit codes: 0 done, 1 data or lookup (or output that could not be written), 2 usage, 70 a bug in
dz, 75 another writer held the store too long, 130 interrupted.

`-q/--quiet` is given here to dz and to every command, once: no informational line on stderr.
"""

# No `from __future__ import annotations`: Typer reads the root callback's annotations at run
# time (see dzcli.cli.options).

import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError  # Typer's own click (pinned <0.29)
from typer.core import TyperGroup, TyperOption

from dzcli import __version__, process
from dzcli.cli import completion
from dzcli.model.errors import DzError
from dzcli.model.text import visible

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in dz, not something the user did
EXIT_INTERRUPTED = 130


def fail(message: str, code: int) -> NoReturn:
    """End dz with `dz: MESSAGE` on stderr (if anyone can read it) and exit `code`."""
    # Messages quote what the user typed and what the store holds: keep them one inert line.
    process.say(f"dz: {visible(message)}")
    sys.exit(code)


def _be_quiet(_ctx: Any, _param: Any, value: bool) -> None:
    if value:
        process.quiet = True


def _give_quiet(command: Any) -> None:
    """Add --quiet to `command` and, for a group, to each of its commands."""
    if not any(getattr(param, "name", None) == "quiet" for param in command.params):
        quiet = TyperOption(
            param_decls=["-q", "--quiet"],
            is_flag=True,
            default=False,
            expose_value=False,  # no command declares it: the process is told (process.inform)
            is_eager=True,
            callback=_be_quiet,
            help="No informational lines on stderr (a store created, rows not shown, progress).",
        )
        command.params.append(quiet)
    for sub in getattr(command, "commands", {}).values():
        _give_quiet(sub)


class DzGroup(TyperGroup):
    """Runs a command and turns every failure into one line on stderr and an exit code."""

    debug = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _give_quiet(self)

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> NoReturn:
        process.quiet = False  # one run's --quiet is not the next one's (tests run many)
        try:
            code = super().main(
                args=args, prog_name=prog_name or "dz", standalone_mode=False, **extra
            )
        except DzError as error:
            fail(f"error: {error}", error.exit_code)
        except NoArgsIsHelpError as error:  # `dz add` alone: its help, as `dz` alone prints dz's
            typer.echo(error.ctx.get_help())
            sys.exit(0)
        except typer.TyperException as error:  # Typer's usage errors: bad option, missing argument
            fail(f"error: {error.format_message()}", error.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            fail("interrupted", EXIT_INTERRUPTED)
        except OSError as error:  # the store's own errors are StoreErrors: this is the output
            process.silence(sys.stdout)
            fail(f"error: cannot write output: {process.reason(error)}", 1)
        except Exception as error:  # a bug: say so in one line unless asked for the traceback
            if self.debug:
                import traceback  # only for a bug: every run would pay for the import

                traceback.print_exc()  # the plain format: no local variables (they hold data)
                sys.exit(EXIT_INTERNAL)
            summary = f"{type(error).__name__}: {error}"
            summary = summary if len(summary) <= 200 else summary[:199] + "…"
            fail(f"internal error: {summary}; rerun with --debug for details", EXIT_INTERNAL)
        if code == EXIT_INTERRUPTED:  # Typer's own handling of Ctrl-C inside a command
            fail("interrupted", EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        view = getattr(getattr(command, "callback", None), "dz_view", None)
        if view is not None:  # a listing: `--json a,b` as gh takes it
            from dzcli.cli.options import spell_out_json_fields

            rest = spell_out_json_fields(rest, view)
        return name, command, rest

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        completion.run_if_asked(args)  # `--install-completion SHELL`: Typer takes no SHELL
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        completion.describe(params)
        return params


app = typer.Typer(
    cls=DzGroup,
    name="dz",
    help="Facts and figures of the Dezhou Economic and Technological Development Zone "
    "(德州经济技术开发区), each with the words of the report it comes from.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for internal errors.")
    ] = False,
) -> None:
    if debug and isinstance(ctx.command, DzGroup):
        ctx.command.debug = True
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
