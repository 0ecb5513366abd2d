"""The commands that change a store (`dz add`, `dz source add`, `dz prefer`, `dz retract`,
`dz import`) and those that describe it (`dz info`, `dz sources`, `dz log`).

Each write goes through `dzcli.writes.session.Write`: locked, checked, logged, atomic.
"""

# No `from __future__ import annotations`: Typer reads the annotations at run time.

import hashlib
import inspect
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from dzcli import locations
from dzcli.model.errors import BadUsage, WriteRefused
from dzcli.model.kinds import BY_NAME, RecordKind
from dzcli.model.periods import is_date
from dzcli.writes import records as build
from dzcli.writes.session import DEFAULT_WAIT

WaitOption = Annotated[
    float,
    typer.Option(
        "--wait", metavar="SECONDS", help="Wait this long for another writer (then exit 75)."
    ),
]
WriteDbOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--db",
        metavar="PATH",
        help="Write this store instead of your own (or set DZ_DB).",
        readable=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="JSON, for scripts.")]

ADDABLE = ("metric", "stat", "target", "park", "project", "enterprise", "event")
add_app = typer.Typer(help="Add a record, quoting a registered source.", no_args_is_help=True)
source_app = typer.Typer(help="Register a source text.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the commands to `app` (cli/__init__.py calls this once)."""
    app.add_typer(add_app, name="add")
    app.add_typer(source_app, name="source")
    for command in (info, sources, prefer, retract, import_rows, log):
        app.command(name=command.__name__.removesuffix("_rows").replace("_", "-"))(command)
    for name in ADDABLE:
        kind = BY_NAME[name]
        add_app.command(name=name, help=f"Add a {kind.label_en} ({kind.label_zh}).")(
            _add_command(kind)
        )


def _print(value: Any) -> None:
    from dzcli.output.render import print_json

    print_json(value)


# -- describing a store ----------------------------------------------------------------------


def info(db: WriteDbOption = None, as_json: JsonFlag = False) -> None:
    """Which store dz uses and why, its size, sha256, records per table and last change.

    \b
    Examples:
      dz info
      dz info --json
    """
    from dzcli.store import open_store, read_json

    resolved = locations.resolve(db)
    why = {
        locations.FLAG: "--db",
        locations.ENVIRONMENT: "DZ_DB",
        locations.USER: "your store",
        locations.SHIPPED: "the store shipped with dz (you have not written yet)",
    }[resolved.origin]
    store = open_store(resolved.path)
    raw = resolved.path.read_bytes()
    data = read_json(resolved.path)
    tables = {t: len(v) for t, v in data.items()} if isinstance(data, dict) else {}
    changes = store.records("log") if "log" in tables else []
    last = changes[-1] if changes else None
    facts = {
        "path": str(resolved.path),
        "origin": resolved.origin,
        "user_store": str(locations.user_store_path()),
        "sources": str(locations.sources_dir(resolved.path)),
        "bytes": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "records": tables,
        "last_change": None if last is None else {k: last[k] for k in ("id", "time", "command")},
    }
    if as_json:
        _print(facts)
        return
    typer.echo(f"store:       {facts['path']}")
    typer.echo(f"why:         {why}")
    typer.echo(f"your store:  {facts['user_store']}")
    typer.echo(f"sources:     {facts['sources']}")
    typer.echo(f"size:        {len(raw):,} bytes")
    typer.echo(f"sha256:      {facts['sha256']}")
    typer.echo("records:     " + ", ".join(f"{t} {n}" for t, n in tables.items()))
    change = "none" if last is None else f"{last['time']} {last['id']}: {last['command']}"
    typer.echo(f"last change: {change}")


def sources(db: WriteDbOption = None, as_json: JsonFlag = False) -> None:
    """The registered sources: id, date, publisher, file and title.

    \b
    Examples:
      dz sources
      dz sources --json
    """
    from dzcli.store import open_store, resolve_store_path

    rows = open_store(resolve_store_path(db)).records("sources")
    if as_json:
        _print(rows)
        return
    for row in rows:
        date = row.get("date") or row.get("year") or "—"
        publisher = row.get("publisher") or "—"
        typer.echo(f"{row.get('id')}  {date}  {publisher}  {row.get('file')}  {row.get('name_zh')}")


def log(db: WriteDbOption = None, as_json: JsonFlag = False) -> None:
    """Every change made to the store, oldest first: when, the command, what, from which source.

    \b
    Examples:
      dz log
      dz log --json
    """
    from dzcli.store import open_store, resolve_store_path

    rows = open_store(resolve_store_path(db)).records("log")
    if as_json:
        _print(rows)
        return
    if not rows:
        typer.echo("no changes yet: the store is as shipped")
    for row in rows:
        typer.echo(f"{row['id']}  {row['time']}  {row['command']}")
        for what in ("added", "changed", "retracted"):
            if row.get(what):
                typer.echo(f"    {what}: {', '.join(row[what])}")
        if row.get("doc"):
            typer.echo(f"    source: {row['doc']}")


# -- writing -----------------------------------------------------------------------------------


def _write(db: Optional[Path], wait: float) -> Any:  # noqa: UP045
    from dzcli.writes.session import Write, writable_store

    return Write(writable_store(db), wait)


@source_app.command("add")
def source_add(
    file: Annotated[Path, typer.Argument(help="The source's text (UTF-8).", readable=False)],
    source_id: Annotated[str, typer.Option("--id", help="Its id, e.g. dezhou-bulletin-2023.")],
    title_zh: Annotated[str, typer.Option("--title-zh", help="Its title in Chinese.")],
    title_en: Annotated[Optional[str], typer.Option("--title-en")] = None,  # noqa: UP045
    publisher: Annotated[Optional[str], typer.Option("--publisher")] = None,  # noqa: UP045
    date: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--date", metavar="YYYY[-MM[-DD]]", help="When it appeared."),
    ] = None,
    url: Annotated[Optional[str], typer.Option("--url")] = None,  # noqa: UP045
    authors: Annotated[Optional[str], typer.Option("--authors")] = None,  # noqa: UP045
    db: WriteDbOption = None,
    wait: WaitOption = DEFAULT_WAIT,
) -> None:
    """Register a source: copy its text into the store's sources folder, record its sha256.

    \b
    Example:
      dz source add bulletin.txt --id dezhou-bulletin-2023 --title-zh 德州统计公报 --date 2024-03
    """
    if date is None or not is_date(date):
        raise BadUsage("--date YYYY[-MM[-DD]] is needed: a source's year is part of its record")
    try:
        raw = file.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        raise BadUsage(f"cannot read {file}: {(error.strerror or str(error)).lower()}") from None
    except UnicodeDecodeError as error:
        raise WriteRefused(
            f"a source text must be UTF-8: {file} is not (invalid byte at offset {error.start})"
        ) from None
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise WriteRefused(f"{file} holds no text")
    name = f"{source_id}.txt"
    if Path(name).name != name or source_id in (".", ".."):
        raise BadUsage(f"--id {source_id!r} cannot name a file")
    record: dict[str, Any] = {
        "id": source_id,
        "name_zh": title_zh,
        "name_en": title_en or title_zh,
        "authors": authors or publisher or "unknown",
        "year": date[:4],
        "file": name,
        "publisher": publisher,
        "date": date,
        "url": url,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "note": None,
        "note_zh": None,
        "source": {"doc": source_id, "quote": first_line[:80]},
        "quotes": [],
    }
    with _write(db, wait) as write:
        target = write.sources_dir / name
        if target.exists() and target.read_bytes() != raw:
            raise WriteRefused(f"{target} already holds another text")
        created = not target.exists()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if created:
                from dzcli.writes.storage import write_atomically

                write_atomically(target, raw)
            write.insert("sources", [record])
            write.commit(doc=source_id)
        except BaseException:
            if created:
                target.unlink(missing_ok=True)
            raise
    digest = hashlib.sha256(raw).hexdigest()
    typer.echo(f"registered {source_id} ({len(raw):,} bytes, sha256 {digest[:12]}…)")


def _add_command(kind: RecordKind) -> Any:
    fields = build.option_fields(kind)
    params = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=False if build.is_flag(field) else None,
            annotation=_annotation(name, field),
        )
        for name, field in fields.items()
    ]
    shared = {
        "source": Annotated[str, typer.Option("--source", metavar="ID", help="A source's id.")],
        "quote": Annotated[
            str, typer.Option("--quote", metavar="Q", help="The source's words for it.")
        ],
        "db": WriteDbOption,
        "wait": WaitOption,
    }
    if kind.table == "stats":
        shared["prefer"] = Annotated[
            bool, typer.Option("--prefer", help="If it disagrees: the new claim is the answer.")
        ]
        shared["keep_existing"] = Annotated[
            bool, typer.Option("--keep-existing", help="If it disagrees: keep both claims.")
        ]
    defaults = {"db": None, "wait": DEFAULT_WAIT, "prefer": False, "keep_existing": False}
    for name, annotation in shared.items():
        default = defaults.get(name, inspect.Parameter.empty)
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )
        )

    def run(**options: Any) -> None:
        from dzcli.writes.adding import add

        added = add(kind, options, _write(options.pop("db"), options.pop("wait")))
        typer.echo(f"added {added}")

    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    run.__name__ = kind.name
    run.__doc__ = f"Add a {kind.label_en}; dz computes its base value and id where it can."
    return run


def _annotation(name: str, field: Any) -> Any:
    names = [build.option_name(name), *build.OPTION_ALIASES.get(name, ())]
    default = build.DEFAULTS.get(name)
    optional = f" [default: {default}]" if default else " (optional)"
    help_text = field.expected + ("" if build.is_required(name, field) else optional)
    if build.is_flag(field):
        return Annotated[bool, typer.Option(*names, help=help_text)]
    if build.is_list(field):
        return Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option(*names, help="repeat for each; " + help_text),
        ]
    return Annotated[Optional[str], typer.Option(*names, help=help_text)]  # noqa: UP045


def prefer(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A claim's id.")],
    reason: Annotated[Optional[str], typer.Option("--reason")] = None,  # noqa: UP045
    db: WriteDbOption = None,
    wait: WaitOption = DEFAULT_WAIT,
) -> None:
    """Make a claim the answer for its metric and period; the others become normal.

    \b
    Example:
      dz prefer gdp@2021#dezhou-bulletin-2022 --reason "final figure"
    """
    from dzcli.writes.adding import rerank

    rerank(_write(db, wait), record_id, "preferred", reason)
    typer.echo(f"preferred {record_id}")


def retract(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A claim's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the claim).")],
    db: WriteDbOption = None,
    wait: WaitOption = DEFAULT_WAIT,
) -> None:
    """Deprecate a claim: it stays in the store with its reason, never in default answers.

    \b
    Example:
      dz retract gdp@2021#x --reason "misread unit"
    """
    from dzcli.writes.adding import rerank

    rerank(_write(db, wait), record_id, "deprecated", reason)
    typer.echo(f"retracted {record_id}")


def import_rows(
    file: Annotated[Path, typer.Argument(help=".csv, .tsv, .json or .jsonl", readable=False)],
    table: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--table", metavar="T", help="stats, parks, …; else told from the columns."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    db: WriteDbOption = None,
    wait: WaitOption = DEFAULT_WAIT,
) -> None:
    """Add and update records from rows in the shape dz prints; all or nothing.

    \b
    Examples:
      dz stats --format csv > stats.csv   # edit, then:
      dz import stats.csv --dry-run
      dz import stats.csv
    """
    from dzcli.writes.adding import import_file

    counts = import_file(file, table, dry_run, _write(db, wait))
    verb = "would add" if dry_run else "added"
    typer.echo(
        f"{verb} {counts['added']}, {'would update' if dry_run else 'updated'} "
        f"{counts['updated']}, unchanged {counts['unchanged']}"
    )
