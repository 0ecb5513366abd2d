"""Hypothesis against the command line and against what a store may hold.

Two properties:
- any argv built from dz's own words and from odd text ends in exit 0, 1 or 2, with at most
  one `dz: error:` line on stderr, never a traceback, and the store untouched;
- any text in a store's names, notes and quotes (Rich markup, emoji codes, ANSI and other
  control characters, bidi marks, very long strings) is printed literally by tables, never as
  a raw control character, and comes back unchanged from JSON.

The example counts are the ones the README quotes; change both together.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import typer
from helpers import shipped, snapshot
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.core import TyperGroup
from typer.testing import CliRunner

from dzcli.cli import app

pytestmark = pytest.mark.slow  # long Hypothesis searches

runner = CliRunner()

ARGV_EXAMPLES = 300
STORE_EXAMPLES = 40

COMMANDS = [
    "stats", "growth", "targets", "parks", "projects", "enterprises", "events", "show",
    "search", "check", "schema",
]  # fmt: skip
# Words a user would put after a command: periods, ids, names, fragments, paths.
WORDS = [
    "2021", "2022", "1999", "0000", "9999", "2021-Q1", "2022-Q5", "2021-01/2021-11",
    "2021-11/2021-01", "20x1", "-2021", "2021 ", "gdp", "gdp@2021", "target:goods_trade@2022",
    "hi-tech-park", "jjj-demo-zone", "dezhou-etdz-2022", "stat", "高新产业园", "产业园", "德州",
    "威讯", "电子信息", "规模以上工业增加值", "wafer", "Wafers", "GDP", "trade", "-", "--", "",
]  # fmt: skip
# Each option with values to try; an empty list for a flag. Never `--install-completion`:
# it would edit the shell's start-up files.
OPTIONS: dict[str, list[str]] = {
    "--json": [],
    "--no-color": [],
    "--help": [],
    "--format": ["json", "jsonl", "csv", "tsv", "md", "table", "yaml", ""],
    "-f": ["json", "md"],
    "--lang": ["zh", "en", "fr", ""],
    "--fields": ["id,value", "source.quote", "name_zh,,", "nope", ""],
    "--unit": ["万元", "亿元", "美元", "元", "km"],
    "--metric": ["gdp", "GDP", "地区生产总值", "trade", "nope"],
    "--category": ["trade", "economy", "nope"],
    "--park": ["高新产业园", "产业园", "hi-tech-park", "nope"],
    "--status": ["signed", "existing", "施工", "nope"],
    "--industry": ["electronic_information", "电子信息", "nope"],
    "--db": ["/", "/nonexistent/facts.json", "/etc/passwd", ".", "-", ""],
    "--sources": ["/", "/nonexistent", ".", ""],
}
GLOBAL = ["--debug", "--version", "--help", "-h"]
# NUL cannot be in a real argv; anything else UTF-8 carries can.
ODD_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


def _declared() -> tuple[dict[str, list[str]], set[str], set[str]]:
    """As the CLI itself declares them: each command's options, which options are flags,
    and which commands take an argument."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    options: dict[str, list[str]] = {}
    flags, with_argument = {"--help"}, set()
    for command in COMMANDS:
        params = group.commands[command].params
        named = [p for p in params if p.param_type_name == "option"]
        options[command] = ["--help", *(opt for p in named for opt in p.opts)]
        flags |= {opt for p in named if getattr(p, "is_flag", False) for opt in p.opts}
        if any(p.param_type_name == "argument" for p in params):
            with_argument.add(command)
    return options, flags, with_argument


COMMAND_OPTIONS, FLAGS, WITH_ARGUMENT = _declared()


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command, maybe a positional word, some of its options with values; now and then
    an option of another command or odd text."""
    word = st.one_of(st.sampled_from(WORDS), ODD_TEXT)
    argv = draw(st.lists(st.sampled_from(GLOBAL), max_size=1))
    command = draw(st.sampled_from(COMMANDS))
    argv.append(command)
    if draw(st.integers(0, 9)) < (8 if command in WITH_ARGUMENT else 1):
        argv.append(draw(word))
    own = st.sampled_from(COMMAND_OPTIONS[command])
    for option in draw(
        st.lists(st.one_of(own, own, own, st.sampled_from(list(OPTIONS))), max_size=3)
    ):
        argv.append(option)
        if option not in FLAGS:
            argv.append(draw(st.one_of(st.sampled_from(OPTIONS.get(option) or WORDS), ODD_TEXT)))
    if draw(st.integers(0, 4)) == 0:  # a stray word anywhere after the command
        start = argv.index(command) + 1
        argv.insert(draw(st.integers(start, len(argv))), draw(word))
    return argv


ANY_WORDS = st.sampled_from([*COMMANDS, *OPTIONS, *GLOBAL, *WORDS])
# Mostly command lines of that shape; one in ten any sequence of the same words and odd text.
ARGV = st.integers(0, 9).flatmap(
    lambda n: st.lists(st.one_of(ANY_WORDS, ODD_TEXT), max_size=6) if n == 0 else command_lines()
)


@settings(
    max_examples=ARGV_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argv=ARGV)
@example(argv=["stats", "--db", ""])
@example(argv=["search", ""])
@example(argv=["show", "\x1b[31m"])
@example(argv=["projects", "--park", "\u202e"])
@example(argv=["--debug", "stats", "2021", "--format", "md"])
def test_any_command_line_ends_cleanly(facts_db: Path, argv: list[str]) -> None:
    before = snapshot(facts_db)
    result = runner.invoke(app, argv)
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    assert "Traceback" not in result.output, argv
    assert result.exception is None or isinstance(result.exception, SystemExit), argv
    if result.stderr:
        assert result.stderr.startswith("dz: error: "), (argv, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), argv
    if result.exit_code == 2:
        assert result.stderr, argv
    assert snapshot(facts_db) == before


# --- hostile text in the store -------------------------------------------------------------

HOSTILE = [
    "[bold]bold[/bold] and [red]red",
    "[/]",
    "[link=https://evil.example]click me[/link]",
    ":warning: :smile: :cn:",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x1b[2J\x1b[H cleared",
    "progress\rOVERWRITTEN",
    "bell\x07 backspace\x08 delete\x7f csi\x9b31m",
    "\u202eevil.exe\u202c",
    "right-to-left mark\u200f and left-to-right\u200e",
    "arabic letter mark\u061c",
    "\u2066isolate\u2069 \u2067rtl\u2069",
    "zero\u200bwidth\ufeffbom",
    "emoji 😀👨‍👩‍👧 flag 🇨🇳",
    "combining e\u0301 and 한국어 and עברית",
    "%s %d {0} {name} $(rm -rf /) `id` <script>alert(1)</script>",
    "back\\slash \"quotes\" 'single'",
    "德州" * 3000,
    "x" * 20000,
]
# Characters a table must never send to the terminal as they are.
RAW_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def escaped(text: str) -> str:
    """How a table shows `text`: every control, format (bidi, zero-width), line-break,
    surrogate or unassigned character as Python writes it escaped; letters, marks, symbols,
    spaces of any width, private-use glyphs and tabs as they are."""
    return "".join(
        char
        if char == "\t"
        or unicodedata.category(char) in ("Zs", "Co")
        or unicodedata.category(char)[0] not in "CZ"
        else repr(char)[1:-1]
        for char in text
    )


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    # Any character UTF-8 can carry except tab and newline, which a table lays out as space.
    st.text(st.characters(codec="utf-8", exclude_characters="\t\n"), min_size=1, max_size=40),
)


SHIPPED = shipped()


def with_text(name: str, note: str, quote: str) -> dict[str, Any]:
    """The shipped store with hostile text in a park, a stat and an enterprise."""
    data = copy.deepcopy(SHIPPED)
    for record in data["parks"].values():
        if record["id"] == "hi-tech-park":
            record.update(name_en=name, name_zh=name, note=note)
            record["source"]["quote"] = quote
    for record in data["stats"].values():
        if record["id"] == "gdp@2021":
            record.update(note=note)
            record["source"]["quote"] = quote
    for record in data["enterprises"].values():
        if record["id"] == "weixun-dezhou":
            record.update(role=note)
            record["figures"][0]["name_en"] = name
    return data


@settings(
    max_examples=STORE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=hostile_text, note=hostile_text, quote=hostile_text)
def test_hostile_text_is_shown_literally_and_round_trips(
    tmp_path_factory: Any, name: str, note: str, quote: str
) -> None:
    path = tmp_path_factory.mktemp("hostile") / "facts.json"
    path.write_text(json.dumps(with_text(name, note, quote), ensure_ascii=False), "utf-8")
    db = ["--db", str(path)]

    # `dz show` writes the source as its quote in corner brackets.
    quoted = f"「{quote}」"
    for argv, shown in (
        (["parks"], [name, note]),
        (["parks", "--lang", "zh"], [name]),
        (["enterprises"], [note, name]),
        (["stats", "2021"], [note]),
        (["show", "hi-tech-park"], [name, note, quoted]),
    ):
        result = runner.invoke(app, [*argv, *db, "--wide"])  # each cell on one line
        assert (result.exit_code, result.stderr) == (0, ""), argv
        assert RAW_CONTROL.search(result.stdout) is None, argv
        for text in shown:
            assert escaped(text) in result.stdout, (argv, text)

    result = runner.invoke(app, ["show", "hi-tech-park", "--json", *db])
    assert result.exit_code == 0
    park = json.loads(result.stdout)[0]
    assert (park["name_en"], park["name_zh"], park["note"]) == (name, name, note)
    assert park["source"]["quote"] == quote
    result = runner.invoke(app, ["stats", "2021", "--json", *db])
    gdp = next(row for row in json.loads(result.stdout) if row["id"] == "gdp@2021")
    assert (gdp["note"], gdp["source"]["quote"]) == (note, quote)


def test_hostile_list_covers_every_kind_the_issue_names() -> None:
    kinds = {unicodedata.category(char) for text in HOSTILE for char in text}
    assert {"Cc", "Cf", "Mn", "So"} <= kinds
    assert any(len(text) >= 10_000 for text in HOSTILE)
    assert any("[" in text and "]" in text for text in HOSTILE)
    assert any(re.search(r":\w+:", text) for text in HOSTILE)
