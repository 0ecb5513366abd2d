"""The commands that change a store (`dz add`, `dz source add`, `dz prefer`, `dz retract`,
`dz import`, `dz edit`, `dz undo`), those that describe it (`dz info`, `dz sources`, `dz log`)
and `dz export`, which writes it for other tools (the work is `dzcli.export`'s).

Each write goes through `dzcli.writes.session.Write`: locked, checked, logged, atomic.
"""

# No `from __future__ import annotations`: Typer reads the annotations at run time.

import importlib
import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from dzcli import locations, process
from dzcli.cli.options import Query, db_option, keyword, listing, with_signature
from dzcli.model.errors import BadUsage, WriteRefused
from dzcli.model.kinds import BY_NAME, KINDS, TABLES, RecordKind
from dzcli.model.limits import WRITE_WAIT_SECONDS
from dzcli.model.periods import is_date
from dzcli.output import views
from dzcli.read import resolve_store_path
from dzcli.writes import editing, journal
from dzcli.writes import records as build

WaitOption = Annotated[
    float,
    typer.Option(
        "--wait", metavar="SECONDS", help="Wait this long for another writer (then exit 75)."
    ),
]
WriteDbOption = Annotated[Path | None, db_option("Write this store instead of your own")]
JsonFlag = Annotated[bool, typer.Option("--json", help="JSON, for scripts.")]

_QUOTED = "--source bulletin-2023 --quote"
ADD_EXAMPLES: dict[str, tuple[str, ...]] = {
    "area": (
        "--id linyi-city --name-zh 临沂市 --name-en Linyi --level city --parent shandong "
        "--source bulletin-2023 --quote 临沂市",
        "--id lingcheng --name-zh 陵城区 --name-en 'Lingcheng District' --level district "
        "--parent dezhou-city --aliases 陵城 --source bulletin-2023 --quote 陵城区",
    ),
    "metric": (
        "--id rd_spend --name-zh 研发经费支出 --name-en 'R&D spending' --category innovation "
        f"--unit 亿元 {_QUOTED} 研发经费支出",
        "--id tech_firms --name-zh 高新技术企业 --name-en 'High-tech enterprises' "
        f"--category innovation --unit 家 {_QUOTED} 高新技术企业",
    ),
    "stat": (
        "--metric gdp --period 2023 --value 340.12 --unit 亿元 --yoy 6.5 --basis real "
        f"{_QUOTED} 全区地区生产总值达到340.12亿元",
        "--metric gdp --period 2023 --value 340.1 --unit 亿元 --source daily-2024-01 "
        "--quote 生产总值340.1亿元 --keep-existing",
        "--metric gdp --area 德州市 --period 2023 --value 3500 --unit 亿元 "
        f"{_QUOTED} 全市地区生产总值达到3500亿元",
    ),
    "target": (
        f"--metric gdp --period 2025 --value 400 --unit 亿元 {_QUOTED} 地区生产总值达到400亿元",
        "--metric gdp --period 2025 --value 400 --unit 亿元 --approx --nature plan "
        f"{_QUOTED} 力争地区生产总值达到400亿元左右",
    ),
    "park": (
        f"--id smart-park --name-zh 智造产业园 --name-en 'Smart Manufacturing Park' {_QUOTED} "
        "智造产业园",
        "--id smart-park-east --name-zh 智造产业园东区 --name-en 'Smart Park East' "
        f"--parent smart-park {_QUOTED} 智造产业园东区",
    ),
    "project": (
        "--id new-battery-plant --name-zh 新型电池项目 --name-en 'New battery plant' "
        f"{_QUOTED} 新型电池项目",
        "--id battery-plant-2 --name-zh 电池二期项目 --name-en 'Battery plant, phase 2' "
        "--park smart-park --status construction_started --status-zh 开工 "
        f"{_QUOTED} 电池二期项目开工",
    ),
    "enterprise": (
        f"--id acme --name-zh 某某科技 --name-en 'Acme Technology' {_QUOTED} 某某科技",
        "--id acme-energy --name-zh 某某能源 --name-en 'Acme Energy' --park smart-park "
        f"--aliases 某某新能源 {_QUOTED} 某某能源",
    ),
    "event": (
        "--id expo-2023 --date 2023-09 --name-zh 产业博览会 --name-en 'Industry expo' "
        f"{_QUOTED} 产业博览会",
        "--id signing-2023 --date 2023-11 --name-zh 项目签约仪式 --name-en 'Project signing' "
        f"--refs acme --refs smart-park {_QUOTED} 项目签约仪式",
    ),
}
"""Two examples of each `dz add KIND`, shown in its help (not run: they write), in the order
`dz add` lists the kinds."""
add_app = typer.Typer(help="Add a record, quoting a registered source.", no_args_is_help=True)
source_app = typer.Typer(help="Register a source text.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the commands to `app` (cli/__init__.py calls this once)."""
    app.add_typer(add_app, name="add")
    app.add_typer(source_app, name="source")
    for command in (info, sources, prefer, retract, import_rows, log):
        app.command(name=command.__name__.removesuffix("_rows").replace("_", "-"))(command)
    app.command(name="edit")(_edit_command())
    app.command(name="undo")(undo)
    for name in ADD_EXAMPLES:
        add_app.command(name=name)(_add_command(BY_NAME[name]))
    app.add_typer(export_app)


def info(db: WriteDbOption = None, as_json: JsonFlag = False) -> None:
    """Which store dz uses and why, its size, sha256, records per table and last change.

    \b
    Examples:
      dz info
      dz info --json
    """
    from dzcli.output.render import print_json
    from dzcli.read import open_store

    resolved = locations.resolve(db)
    why = {
        locations.FLAG: "--db",
        locations.ENVIRONMENT: "DZ_DB",
        locations.USER: "your store",
        locations.SHIPPED: "the store shipped with dz (you have not written yet)",
    }[resolved.origin]
    store = open_store(resolved.path)
    tables = {table: store.count(table) for table in TABLES}
    changes = store.records("log")
    last = changes[-1] if changes else None
    facts = {
        "path": str(resolved.path),
        "origin": resolved.origin,
        "user_store": str(locations.user_store_path()),
        "sources": str(locations.sources_dir(resolved.path)),
        "bytes": store.size,
        "sha256": store.sha256,
        "records": tables,
        "last_change": None if last is None else {k: last[k] for k in ("id", "time", "command")},
    }
    if as_json:
        print_json(facts)
        return
    typer.echo(f"store:       {facts['path']}")
    typer.echo(f"why:         {why}")
    typer.echo(f"your store:  {facts['user_store']}")
    typer.echo(f"sources:     {facts['sources']}")
    typer.echo(f"size:        {store.size:,} bytes")
    typer.echo(f"sha256:      {facts['sha256']}")
    typer.echo("records:     " + ", ".join(f"{t} {n}" for t, n in tables.items()))
    change = "none" if last is None else f"{last['time']} {last['id']}: {last['command']}"
    typer.echo(f"last change: {change}")


@listing(views.SOURCES, units=False)
def sources() -> Query:
    """The registered sources: id, date, title, publisher and file.

    \b
    Examples:
      dz sources
      dz sources --json
    A quote in any record must be found in the text of its source, kept in the store's
    sources folder (`dz info` says where).
    """
    return lambda store: store.records("sources")


@listing(views.CHANGES, units=False)
def log() -> Query:
    """Every change made to the store, oldest first: when, the command, what, from which source.

    \b
    Examples:
      dz log
      dz log --json
      dz log --format csv --fields id,time,command,added
    `previous` holds each changed record as it was (JSON text), to undo a change by hand.
    """
    return lambda store: store.records("log")


def _write(db: Path | None, wait: float) -> Any:
    from dzcli.writes.session import Write, writable_store

    return Write(writable_store(db), wait)


_WRITE_OPTIONS = [
    keyword("db", WriteDbOption, None),
    keyword("wait", WaitOption, WRITE_WAIT_SECONDS),
]


@source_app.command("add")
def source_add(
    file: Annotated[Path, typer.Argument(help="The source's text (UTF-8).", readable=False)],
    source_id: Annotated[str, typer.Option("--id", help="Its id, e.g. dezhou-bulletin-2023.")],
    title_zh: Annotated[str, typer.Option("--title-zh", help="Its title in Chinese.")],
    title_en: Annotated[str | None, typer.Option("--title-en")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher")] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY[-MM[-DD]]", help="When it appeared."),
    ] = None,
    url: Annotated[str | None, typer.Option("--url")] = None,
    authors: Annotated[str | None, typer.Option("--authors")] = None,
    db: WriteDbOption = None,
    wait: WaitOption = WRITE_WAIT_SECONDS,
) -> None:
    """Register a source: copy its text into the store's sources folder, record its sha256.

    \b
    Examples:
      dz source add bulletin.txt --id dezhou-bulletin-2023 --title-zh 德州统计公报 --date 2024-03
      dz source add notice.txt --id etdz-notice --title-zh 经开区通知 --title-en "ETDZ notice"
    Without --date the source's year is null (unknown); without --title-en its English name
    repeats the Chinese title; without --authors it names no author (null).
    """
    import hashlib  # OpenSSL: a few milliseconds that `dz add` does not need

    if date is not None and not is_date(date):
        raise BadUsage(f"--date: {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        raw = file.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        raise BadUsage(f"cannot read {file}: {process.reason(error)}") from None
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
        "authors": authors,
        "year": None if date is None else date[:4],
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
    typer.echo(f"registered {source_id} ({len(raw):,} bytes, sha256 {record['sha256'][:12]}…)")


def _add_command(kind: RecordKind) -> Any:
    source = Annotated[str, typer.Option("--source", metavar="ID", help="A source's id.")]
    quote = Annotated[str, typer.Option("--quote", metavar="Q", help="The source's words for it.")]
    params = [
        *(
            keyword(name, _add_annotation(name, field), False if build.is_flag(field) else None)
            for name, field in build.option_fields(kind).items()
        ),
        keyword("source", source),
        keyword("quote", quote),
        *_WRITE_OPTIONS,
    ]
    if kind.table == "stats":
        prefer = "If it disagrees: the new claim is the answer."
        keep = "If it disagrees: add it as normal; the current answer stays (preferred)."
        params += [
            keyword("prefer", Annotated[bool, typer.Option("--prefer", help=prefer)], False),
            keyword(
                "keep_existing", Annotated[bool, typer.Option("--keep-existing", help=keep)], False
            ),
        ]

    def run(**options: Any) -> None:
        from dzcli.writes.adding import add

        added = add(kind, options, _write(options.pop("db"), options.pop("wait")))
        replaced = " (in place of its source's retracted claim)" if added.replaced else ""
        typer.echo(f"added {added.id}{replaced}")

    run.__name__ = kind.name
    examples = "\n".join(f"      dz add {kind.name} {line}" for line in ADD_EXAMPLES[kind.name])
    run.__doc__ = (
        f"Add {'an' if kind.label_en[:1] in 'aeiou' else 'a'} {kind.label_en} "
        f"({kind.label_zh}), quoting a registered source.\n\n"
        f"    \b\n    Examples:\n{examples}\n\n"
        "    dz computes the id, base value and base unit where it can; the write is refused\n"
        "    unless the quote is in the source's text, the value is in the quote, references\n"
        "    resolve and the store still passes `dz check`."
    )
    return with_signature(run, params)


def _add_annotation(name: str, field: Any) -> Any:
    names = [build.option_name(name), *build.OPTION_ALIASES.get(name, ())]
    default = build.DEFAULTS.get(name)
    optional = f" [default: {default}]" if default else " (optional)"
    help_text = field.expected + ("" if build.is_required(name, field) else optional)
    if build.is_flag(field):
        return Annotated[bool, typer.Option(*names, help=help_text)]
    if build.is_list(field):
        return Annotated[
            list[str] | None,
            typer.Option(*names, help="repeat for each; " + help_text),
        ]
    return Annotated[str | None, typer.Option(*names, help=help_text)]


def prefer(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A claim's id.")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    db: WriteDbOption = None,
    wait: WaitOption = WRITE_WAIT_SECONDS,
) -> None:
    """Make a claim the answer for its metric and period; the others become normal.

    \b
    Examples:
      dz prefer gdp@2023#dezhou-bulletin-2023 --reason "the final figure"
      dz prefer gdp@2023
    """
    from dzcli.writes.adding import rerank

    rerank(_write(db, wait), record_id, "preferred", reason)
    typer.echo(f"preferred {record_id}")


def retract(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A claim's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the claim).")],
    db: WriteDbOption = None,
    wait: WaitOption = WRITE_WAIT_SECONDS,
) -> None:
    """Deprecate a claim: it stays in the store with its reason, never in default answers.

    \b
    Examples:
      dz retract gdp@2023#daily-2024-01 --reason "misread unit"
      dz retract gdp@2023 --reason "superseded by the bulletin" --wait 30
    """
    from dzcli.writes.adding import rerank

    rerank(_write(db, wait), record_id, "deprecated", reason)
    typer.echo(f"retracted {record_id}")


def import_rows(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE|DIR",
            help=".csv, .tsv, .json or .jsonl; or a folder `dz export datapackage` wrote.",
            readable=False,
        ),
    ],
    table: Annotated[
        str | None,
        typer.Option("--table", metavar="T", help="stats, parks, …; else told from the columns."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    keep_existing: Annotated[
        bool,
        typer.Option("--keep-existing", help="Keep a new claim that disagrees with a stored one."),
    ] = False,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to", metavar="STORE", help="DIR only: write it as a new store file instead."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="With --to: replace STORE.")] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="FILE's encoding if not UTF-8, e.g. gb18030 (Excel's CSV in a Chinese locale).",
        ),
    ] = None,
    db: WriteDbOption = None,
    wait: WaitOption = WRITE_WAIT_SECONDS,
) -> None:
    """Add and update records from rows in the shape dz prints; all or nothing.

    \b
    Examples:
      dz import stats.csv --dry-run
      dz import stats.csv
      dz import stats-gbk.csv --encoding gb18030
      dz import facts-package/
      dz import facts-package/ --to copy.json
    FILE is what `dz stats --format csv` (or jsonl, tsv, --json) prints, edited; DIR is a data
    package from `dz export datapackage`, whose tables are imported together (its change log is
    not: this import is logged instead). A dry run checks every rule the import does and lists
    the ids it would add and update.
    """
    from dzcli.writes import batches

    package = path.is_dir()
    if to is not None:  # the package's store, record for record, as a new file
        if not package:
            raise BadUsage("--to needs a data package folder (from `dz export datapackage`)")
        import json

        from dzcli.export import ExportError, datapackage, files
        from dzcli.read import store_of

        data = datapackage.read(path)
        raw = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        store_of(to, raw)  # refuse a package whose records dz could not open
        with files.replacing(to, force=force) as temporary:
            try:
                temporary.write_bytes(raw)
            except OSError as error:
                raise ExportError(f"cannot write {to}: {process.reason(error)}") from None
        typer.echo(f"wrote {to}")
        return
    if package:
        if table is not None or encoding is not None:
            raise BadUsage("--table and --encoding are for a file; a data package says both")
        from dzcli.export import datapackage

        data = datapackage.read(path)
        planned = batches.import_store(data, dry_run, _write(db, wait), keep_existing=keep_existing)
    else:
        planned = batches.import_file(
            path, table, dry_run, _write(db, wait), keep_existing=keep_existing, encoding=encoding
        )
    added, updated = ("would add", "would update") if dry_run else ("added", "updated")
    if dry_run:
        for record_id in planned.added:
            typer.echo(f"{added} {record_id}")
        for record_id in planned.updated:
            typer.echo(f"{updated} {record_id}")
    typer.echo(
        f"{added} {len(planned.added)}, {updated} {len(planned.updated)}, "
        f"unchanged {planned.unchanged}"
    )


def _editable() -> dict[str, tuple[str, str]]:
    """Every field `dz edit` takes, of any kind: name → (shape, help)."""
    found: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        if kind.table == journal.TABLE:
            continue
        for name, field in editing.editable_fields(kind).items():
            shape = "flag" if build.is_flag(field) else "list" if build.is_list(field) else "text"
            known = found.setdefault(name, (shape, field.expected.removesuffix(" or null")))
            assert known[0] == shape, f"{name} is a {known[0]} and a {shape}"
    return found


def _edit_annotation(name: str, shape: str, expected: str) -> Any:
    names = [build.option_name(name), *build.OPTION_ALIASES.get(name, ())]
    if shape == "flag":
        flag = names[0].removeprefix("--")
        return Annotated[bool | None, typer.Option(f"--{flag}/--no-{flag}", help=expected)]
    if shape == "list":
        return Annotated[
            list[str] | None,
            typer.Option(*names, help="repeat for each (replaces the list; '' empties it)"),
        ]
    return Annotated[str | None, typer.Option(*names, help=expected)]


def _edit_command() -> Any:
    def edit(**options: Any) -> None:
        """Change fields of one record, checked as `dz add` checks a new one; logged.

        \b
        Examples:
          dz edit gdp@2023 --value 340.12 --quote 生产总值达到340.12亿元 --reason "misread"
          dz edit hi-tech-park --note "Also called 高新园" --reason "a reader's question"
          dz edit goods_trade@2021 --rank '' --rank-scope '' --reason "the rank is the city's"
        Only the fields given change; '' makes a field null where it may be. The quote must still
        hold the value, rate, share, rank and period, as for `dz add`; what a record's id is made
        of (a stat's metric and period) does not change. The reason is kept in the log.
        """
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

    record_id = Annotated[str, typer.Argument(metavar="ID", help="The record to change.")]
    source = Annotated[
        str | None, typer.Option("--source", metavar="ID", help="Another registered source.")
    ]
    quote = Annotated[
        str | None, typer.Option("--quote", metavar="Q", help="The source's words for it.")
    ]
    reason = Annotated[
        str, typer.Option("--reason", help="Why (kept in the log with the command).")
    ]
    return with_signature(
        edit,
        [
            inspect.Parameter(
                "record_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=record_id
            ),
            *(
                keyword(name, _edit_annotation(name, shape, expected), None)
                for name, (shape, expected) in _editable().items()
            ),
            keyword("source", source, None),
            keyword("quote", quote, None),
            keyword("reason", reason),
            *_WRITE_OPTIONS,
        ],
    )


def undo(
    entry: Annotated[
        str | None,
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


ForceOption = Annotated[bool, typer.Option("--force", help="Replace the target if it exists.")]
ExportDbOption = Annotated[Path | None, db_option("Export this store instead of the built-in one")]

export_app = typer.Typer(
    name="export",
    help="Write the whole store for other tools: SQLite (Datasette), a data package, Parquet.\n\n"
    "\b\nExamples:\n  dz export sqlite facts.db\n  dz export datapackage facts-package",
    no_args_is_help=True,
    add_completion=False,
)


# What each export writes, and an example of where, for the refusal of `-` (stdout): none is
# one stream of bytes a pipe could carry.
_WRITES = {
    "sqlite": ("a file (and OUT.metadata.json beside it)", "facts.db", "file"),
    "datapackage": ("a folder", "facts-package/", "folder"),
    "parquet": ("a folder", "facts-parquet/", "folder"),
}


def _export(what: str, out: str, db: Path | None, force: bool) -> None:
    from dzcli.export import files

    # Compared as typed: a Path would read ./- (a file named -) as - too.
    if out == "-":
        writes, example, thing = _WRITES[what]
        raise BadUsage(
            f"dz export {what} writes {writes}, not stdout: give a path, e.g. "
            f"dz export {what} {example} (./- names a {thing} called -)"
        )
    progress = files.Progress(what)
    try:
        with files.collector_paused():
            source = files.Source(resolve_store_path(db))
            # Only the writer asked for is imported: parquet's needs pyarrow.
            writer = importlib.import_module(f"dzcli.export.{what}")
            written = writer.write(source, Path(out), force=force, progress=progress)
    finally:
        progress.done()
    for path in written:
        typer.echo(f"wrote {path}")


@export_app.command("sqlite")
def export_sqlite(
    out: Annotated[str, typer.Argument(metavar="OUT.db", help="The database to write.")],
    db: ExportDbOption = None,
    force: ForceOption = False,
) -> None:
    """One SQLite database, and OUT.metadata.json for Datasette.

    \b
    Examples:
      dz export sqlite facts.db
      dz export sqlite facts.db --force --db my-store.json
    Then: datasette facts.db -m facts.metadata.json

    A table per kind of record and per nested part, with primary and foreign
    keys; views with names and quotes (stats_with_quotes, preferred_claims);
    `search`, a full-text index (trigram) that finds Chinese substrings of 3
    characters or more (Datasette's find_text query finds any length).
    """
    _export("sqlite", out, db, force)


@export_app.command("datapackage")
def export_datapackage(
    out: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write.")],
    db: ExportDbOption = None,
    force: ForceOption = False,
) -> None:
    """A Frictionless Data Package: one CSV per table and datapackage.json.

    \b
    Examples:
      dz export datapackage facts/
      dz export datapackage facts/ --force --db my-store.json
    Then: frictionless validate facts/datapackage.json

    `dz import facts/ --to copy.json` reads it back into a new store, record for
    record.
    """
    _export("datapackage", out, db, force)


@export_app.command("parquet")
def export_parquet(
    out: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write.")],
    db: ExportDbOption = None,
    force: ForceOption = False,
) -> None:
    """One Parquet file per table (needs pyarrow: pip install pyarrow).

    \b
    Examples:
      dz export parquet facts-parquet/
      dz export parquet facts-parquet/ --force --db my-store.json
    Then: duckdb -c "select id, value from 'facts-parquet/stats.parquet'"

    Spark, Trino and BigQuery read the same files.
    """
    _export("parquet", out, db, force)
