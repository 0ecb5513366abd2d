"""Shell completion: candidates from the store itself, and the scripts that ask for them.

Each `complete_*` function is a Typer `autocompletion` callback. It reads the store the command
would read (`--db` if already typed, else `$DZ_DB`, else the shipped one) and returns
(value, help) pairs whose value starts with what was typed. A store that cannot be read gives no
candidates: completion must never print an error into the user's command line.

`dz --install-completion [SHELL]` and `--show-completion [SHELL]` are dz's own: Typer's ignored a
shell's name. A name dz does not know is a usage error before any file is touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import typer

from dzcli.model.errors import BadUsage, DzError

if TYPE_CHECKING:
    from dzcli.read import Store

Candidate = tuple[str, str]
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_COMPLETE_VAR = "_DZ_COMPLETE"  # what Typer derives from the program's name


def _starting(incomplete: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates whose value starts with `incomplete` (what every shell keeps), each once."""
    found: dict[str, str] = {}
    for value, help_text in candidates:
        if value and value.startswith(incomplete) and value not in found:
            found[value] = help_text
    return list(found.items())


def _named(records: Iterable[dict[str, Any]], *extra: str) -> Iterable[Candidate]:
    """A record's id, Chinese name, English name and `extra` fields (aliases), each with help."""
    for record in records:
        zh, en, record_id = record.get("name_zh") or "", record.get("name_en") or "", record["id"]
        yield record_id, f"{zh} {en}".strip()
        yield zh, en
        yield en, zh
        for key in extra:
            for alias in record.get(key) or []:
                if isinstance(alias, str):
                    yield alias, f"{zh} {en}".strip()


def metric_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _starting(incomplete, _named(store.records("metrics")))


def park_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _starting(incomplete, _named(store.records("parks"), "aliases"))


def area_candidates(store: Store, incomplete: str) -> list[Candidate]:
    every = [("all", "every area"), *_named(store.records("areas"), "aliases")]
    return _starting(incomplete, every)


def period_candidates(store: Store, incomplete: str) -> list[Candidate]:
    from dzcli import queries
    from dzcli.model import periods

    found = queries.stat_periods(store)
    years = dict.fromkeys(periods.year_of(p) for p in found)
    return _starting(incomplete, [(year, "year") for year in years] + [(p, "") for p in found])


def target_year_candidates(store: Store, incomplete: str) -> list[Candidate]:
    years = sorted({str(r["period"]) for r in store.records("targets") if r.get("period")})
    return _starting(incomplete, [(year, "") for year in years])


def _codes(store: Store, table: str, key: str, incomplete: str) -> list[Candidate]:
    """A coded field's values (signed) and the report's words for them (签约), each as help
    for the other."""
    pairs = [(str(r.get(key) or ""), str(r.get(f"{key}_zh") or "")) for r in store.records(table)]
    return _starting(incomplete, [*pairs, *((zh, code) for code, zh in pairs)])


def status_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _codes(store, "projects", "status", incomplete)


def industry_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _codes(store, "projects", "industry", incomplete)


def category_candidates(store: Store, incomplete: str) -> list[Candidate]:
    found = sorted({str(m["category"]) for m in store.records("metrics") if m.get("category")})
    return _starting(incomplete, [(category, "") for category in found])


def record_id_candidates(store: Store, incomplete: str) -> list[Candidate]:
    from dzcli.model.kinds import TABLES

    return _starting(
        incomplete,
        (
            (str(r["id"]), f"{table}: {r.get('name_zh') or r.get('metric') or ''}".rstrip(": "))
            for table in TABLES
            for r in store.records(table)
        ),
    )


def _callback(candidates: Any) -> Any:
    def complete(ctx: typer.Context, incomplete: str) -> list[Candidate]:
        from dzcli.read import open_store, resolve_store_path

        try:
            store = open_store(resolve_store_path(ctx.params.get("db") if ctx else None))
        except (DzError, OSError):
            return []
        return list(candidates(store, incomplete))

    complete.__name__ = f"complete_{candidates.__name__.removesuffix('_candidates')}"
    return complete


complete_metric = _callback(metric_candidates)
complete_park = _callback(park_candidates)
complete_area = _callback(area_candidates)
complete_period = _callback(period_candidates)
complete_target_year = _callback(target_year_candidates)
complete_status = _callback(status_candidates)
complete_industry = _callback(industry_candidates)
complete_category = _callback(category_candidates)
complete_record_id = _callback(record_id_candidates)


def run_if_asked(args: Sequence[str]) -> None:
    """Install or show the script if the options before the command ask for it, then exit."""
    for index, arg in enumerate(args):
        option, _, attached = arg.partition("=")
        if option in ("--install-completion", "--show-completion"):
            following = args[index + 1] if index + 1 < len(args) else ""
            shell = _shell(attached or ("" if following.startswith("-") else following), option)
            from typer._completion_shared import get_completion_script, install

            if option == "--install-completion":
                _, path = install(shell=shell, prog_name="dz", complete_var=_COMPLETE_VAR)
                typer.echo(f"{shell} completion installed in {path}")
                typer.echo("Completion will take effect once you restart the terminal")
            else:
                typer.echo(
                    get_completion_script(prog_name="dz", complete_var=_COMPLETE_VAR, shell=shell)
                )
            raise typer.Exit()
        if not arg.startswith("-"):  # the command: what follows is its own
            return


def describe(params: list[Any]) -> None:
    """Say in `dz --help` that a shell can be named."""
    does = {
        "install_completion": "Install completion",
        "show_completion": "Show the completion script",
    }
    for param in params:
        if param.name in does:
            param.help = (
                f"{does[param.name]} for SHELL ({', '.join(SHELLS)}); default: the current shell."
            )


def _shell(named: str, option: str) -> str:
    if named:
        if named not in SHELLS:
            raise BadUsage(
                f"{option}: unknown shell {named!r}; dz completes in {', '.join(SHELLS)}"
            )
        return named
    from typer._completion_shared import _get_shell_name  # Typer's detection (pinned <0.29)

    detected = _get_shell_name()
    if detected not in SHELLS:
        raise BadUsage(
            f"{option}: cannot complete in this shell ({detected or 'not detected'}); "
            f"name one of {', '.join(SHELLS)}"
        )
    return str(detected)
