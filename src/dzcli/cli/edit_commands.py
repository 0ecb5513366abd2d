"""`dz edit ID --FIELD VALUE … --reason TEXT` and `dz undo`: change a record, or take back the
last change. Each goes through `dzcli.writes.session.Write` (locked, checked, logged, atomic)."""

# No `from __future__ import annotations`: Typer reads the annotations at run time.

import inspect
from typing import Annotated, Any, Optional

import typer

from dzcli.cli.write_commands import WaitOption, WriteDbOption, _write
from dzcli.model.kinds import KINDS
from dzcli.model.limits import WRITE_WAIT_SECONDS
from dzcli.writes import editing, journal
from dzcli.writes import records as build


def register(app: typer.Typer) -> None:
    app.command(name="edit")(_edit_command())
    app.command(name="undo")(undo)


def _editable() -> dict[str, tuple[str, str]]:
    """Every field `dz edit` takes, of any kind: name → (shape, help)."""
    found: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        if kind.table == journal.TABLE:
            continue
        for name, field in editing.editable_fields(kind).items():
            shape = "flag" if build.is_flag(field) else "list" if build.is_list(field) else "text"
            known = found.get(name)
            assert known is None or known[0] == shape, f"{name} is a {known} and a {shape}"
            if known is None:
                found[name] = (shape, field.expected.removesuffix(" or null"))
    return found


def _annotation(name: str, shape: str, expected: str) -> Any:
    names = [build.option_name(name), *build.OPTION_ALIASES.get(name, ())]
    if shape == "flag":
        flag = build.option_name(name)
        return Annotated[
            Optional[bool],  # noqa: UP045
            typer.Option(f"{flag}/--no-{flag.removeprefix('--')}", help=expected),
        ]
    if shape == "list":
        return Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option(*names, help="repeat for each (replaces the list; '' empties it)"),
        ]
    return Annotated[Optional[str], typer.Option(*names, help=expected)]  # noqa: UP045


def _edit_command() -> Any:
    record_id = inspect.Parameter(
        "record_id",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[str, typer.Argument(metavar="ID", help="The record to change.")],
    )
    fields = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=_annotation(name, shape, expected),
        )
        for name, (shape, expected) in _editable().items()
    ]
    shared = {
        "source": Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--source", metavar="ID", help="Another registered source."),
        ],
        "quote": Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--quote", metavar="Q", help="The source's words for it."),
        ],
        "reason": Annotated[
            str, typer.Option("--reason", help="Why (kept in the log with the command).")
        ],
        "db": WriteDbOption,
        "wait": WaitOption,
    }
    defaults = {"source": None, "quote": None, "db": None, "wait": WRITE_WAIT_SECONDS}
    params = [record_id, *fields]
    for name, annotation in shared.items():
        default = defaults.get(name, inspect.Parameter.empty)
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )
        )

    def edit(**options: Any) -> None:
        record_id = options.pop("record_id")
        options.pop("reason")  # in the log, with the command line
        write = _write(options.pop("db"), options.pop("wait"))
        edited = editing.edit(record_id, options, write)
        changed = [
            name
            for name in edited.after
            if edited.after.get(name) != edited.before.get(name)
            and name not in ("base_value", "base_unit")
        ]
        typer.echo(f"changed {record_id}: {', '.join(changed) or 'nothing'}")

    edit.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    edit.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    edit.__doc__ = """Change fields of one record, checked as `dz add` checks a new one; logged.

    \b
    Examples:
      dz edit gdp@2023 --value 340.12 --quote 生产总值达到340.12亿元 --reason "misread"
      dz edit hi-tech-park --note "Also called 高新园" --reason "a reader's question"
      dz edit goods_trade@2021 --rank '' --rank-scope '' --reason "the rank is the city's"
    Only the fields given change; '' makes a field null where it may be. The quote must still
    hold the value, rate, share, rank and period, as for `dz add`; what a record's id is made
    of (a stat's metric and period) does not change. The reason is kept in the log.
    """
    return edit


def undo(
    entry: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="[log:N]", help="The change you expect to undo (refused if not)."),
    ] = None,
    db: WriteDbOption = None,
    wait: WaitOption = WRITE_WAIT_SECONDS,
) -> None:
    """Undo the last change: remove what it added, put back what it changed; logged.

    \b
    Examples:
      dz undo
      dz undo log:7
    Each undo goes back one more change (an undo is not undone). The records come back as the
    log kept them (`dz log`'s previous); a source text copied by `dz source add` stays.
    """
    undone = editing.undo(_write(db, wait), entry)
    parts = [f"undid {undone.entry.get('id')} ({undone.entry.get('command')})"]
    if undone.removed:
        parts.append("removed " + ", ".join(undone.removed))
    if undone.restored:
        parts.append("restored " + ", ".join(undone.restored))
    typer.echo("; ".join(parts))
