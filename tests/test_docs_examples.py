"""Every `$ dz …` example in README.md and docs/*.md is real output: each is run as a reader
would run it and compared, character for character, with what the page prints.

An example is a line `$ dz …` in a ```console block or a block indented four spaces; the lines
after it, up to the next `$ ` line or the block's end, are what it prints, stdout and stderr
together as a terminal shows them. A `$ ` line that is not dz (`$ sqlite3 …`) ends the output
before it and is not run, so a page that edits a file for a later example does it in a dz
pipeline (`$ dz stats … | sed … > stats.csv`), which is run.

The commands of one block are one session: they run in order, in one fresh working folder
(holding a copy of every file of tests/fixtures/docs) with one fresh home, so that a block can
show `dz add` and then the `dz stats` that sees it. Each runs the installed `dz` through bash
(pipes and redirections as typed, with pipefail), at COLUMNS=100, NO_COLOR=1, no locale, no
pager, without DZ_DB: dz reads the shipped store until a write makes the user's own from it.
The only rewriting of the output is the block's folder, printed as HOME_SHOWN.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import DOCS, README, REPO, installed_dz

FIXTURES = Path(__file__).parent / "fixtures" / "docs"
HOME_SHOWN = "/home/me"
"""What the pages print for the session's home (the block's temporary folder)."""

README_LIMIT = 15_000  # bytes: issue 21 keeps the README short, the rest in docs/

PAGES = [README, *sorted(DOCS.glob("*.md"))]

COMMAND = re.compile(r"\$ dz( |$)")
# Set for the reader's terminal, or to be taken out of a developer's environment.
CLEARED = ("DZ_DB", "DZ_NO_CACHE", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM", "PAGER", "LESS")


@dataclass(frozen=True)
class Example:
    page: str  # README.md, docs/writing.md
    line: int  # of the command, counted from 1
    command: str  # without the `$ `
    expected: str  # what it prints, each line ended by \n

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line} {self.command}"


@dataclass(frozen=True)
class Block:
    page: str
    examples: tuple[Example, ...]


def blocks_of(page: str, text: str) -> list[Block]:
    """The blocks of a page that hold at least one `$ dz` example."""
    blocks = []
    for first, lines in _code_blocks(text):
        examples = _examples(page, first, lines)
        if examples:
            blocks.append(Block(page, tuple(examples)))
    return blocks


def _code_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number of the block's first line, its lines) for every ```console block and
    every block indented four spaces, as Markdown reads them."""
    found: list[tuple[int, list[str]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = re.match(r"(`{3,}|~{3,})\s*(\S*)", line)
        if fence:
            end = index + 1
            while end < len(lines) and not lines[end].startswith(fence.group(1)):
                end += 1
            if fence.group(2) == "console":
                found.append((index + 2, lines[index + 1 : end]))
            index = end + 1
        elif line.startswith("    ") and (index == 0 or not lines[index - 1].strip()):
            end = index
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            block = [row[4:] for row in lines[index:end]]
            while block and not block[-1].strip():
                block.pop()
            found.append((index + 1, block))
            index = end
        else:
            index += 1
    return found


def _examples(page: str, first: int, lines: list[str]) -> list[Example]:
    examples = []
    starts = [i for i, line in enumerate(lines) if line.startswith("$ ")] + [len(lines)]
    for start, end in itertools.pairwise(starts):
        if COMMAND.match(lines[start]):
            output = "".join(line + "\n" for line in lines[start + 1 : end])
            examples.append(Example(page, first + start, lines[start][2:], output))
    return examples


BLOCKS = [
    block
    for path in PAGES
    for block in blocks_of(str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
]
EXAMPLES = [(block, example) for block in BLOCKS for example in block.examples]


# --- running a session -----------------------------------------------------------------------


def tools_of(command: str) -> list[str]:
    """The programs a command line runs other than dz: the first word of each pipeline part."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True  # words as bash splits them: gdp@2021#source is one
    lexer.commenters = ""  # as in bash, `#` starts a comment only where it starts a word
    words = list(lexer)
    words = list(itertools.takewhile(lambda word: not word.startswith("#"), words))
    between = ("|", "&&", "||", ";")
    starts = [words[0]] + [words[i + 1] for i, w in enumerate(words[:-1]) if w in between]
    return [word for word in starts if word != "dz"]


def missing_tool(command: str) -> str | None:
    """Why the command cannot run here (a tool it pipes into is not installed), or None."""
    for tool in tools_of(command):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (the example `{command}` needs it)"
    return None


def session_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in CLEARED and not key.startswith(("LC_", "LANG"))
    }
    env |= {
        "PATH": f"{Path(installed_dz()).parent}{os.pathsep}{env.get('PATH', '')}",
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "DZ_PAGER": "",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "DZ_HOME": str(home / ".local" / "share" / "dz"),
    }
    return env


def run_session(block: Block, home: Path) -> dict[int, str]:
    """What each example of the block prints, run in order in one folder under `home`, by
    line; an example whose tools are missing is not run."""
    work = home / "work"
    shutil.copytree(FIXTURES, work)
    env = session_env(home)
    printed = {}
    for example in block.examples:
        if missing_tool(example.command):
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", example.command],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
        )
        shown = done.stdout.decode("utf-8")
        for spelling in {str(home.resolve()), str(home)}:
            shown = shown.replace(spelling, HOME_SHOWN)
        printed[example.line] = shown
    return printed


Printed = Callable[[Block], dict[int, str]]


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """What a block's examples print: the block is run once, for all its examples."""
    sessions: dict[tuple[str, int], dict[int, str]] = {}

    def of(block: Block) -> dict[int, str]:
        key = (block.page, block.examples[0].line)
        if key not in sessions:
            sessions[key] = run_session(block, tmp_path_factory.mktemp("docs-session"))
        return sessions[key]

    return of


@pytest.mark.slow
@pytest.mark.parametrize(("block", "example"), EXAMPLES, ids=[e.name for _, e in EXAMPLES])
def test_the_example_prints_what_the_page_shows(
    block: Block, example: Example, printed: Printed
) -> None:
    reason = missing_tool(example.command)
    if reason:
        if "CI" in os.environ:
            pytest.fail(f"{reason}; CI is set, so it must be", pytrace=False)
        pytest.skip(reason)
    assert printed(block)[example.line] == example.expected


# --- the parser and the pages themselves ---------------------------------------------------


def test_the_pages_have_examples_in_both_kinds_of_block() -> None:
    pages = {block.page for block in BLOCKS}
    assert {"README.md", "docs/writing.md", "docs/commands.md"} <= pages
    assert len(EXAMPLES) >= 50


def test_an_example_ends_at_the_next_command_of_any_program_and_a_block_is_a_session() -> None:
    text = (
        "Prose.\n\n"
        "    $ dz stats 2023\n"
        "    No statistics match.\n"
        "    $ sqlite3 facts.db 'select 1'\n"
        "    1\n"
        "    $ dz stats\n"
        "\n"
        "More prose.\n"
        "```console\n"
        "$ dz parks | head -1\n"
        "Parks\n"
        "\n"
        "```\n"
        "```sh\n"
        "$ dz not-an-example\n"
        "```\n"
    )
    blocks = blocks_of("page.md", text)
    assert [[(e.line, e.command, e.expected) for e in b.examples] for b in blocks] == [
        [(3, "dz stats 2023", "No statistics match.\n"), (7, "dz stats", "")],
        [(11, "dz parks | head -1", "Parks\n\n")],
    ]


def test_the_tools_of_a_pipeline_are_checked_for() -> None:
    assert tools_of("dz stats 2021 --json | jq -r '.[0]' | head -3") == ["jq", "head"]
    assert tools_of("dz growth --chart        # piped | not a tool") == []
    assert tools_of("dz show gdp@2021#revision-2021 | head -1") == ["head"]
    assert missing_tool("dz stats | no-such-tool-for-dz-docs") is not None


def test_the_readme_stays_under_15_kb() -> None:
    assert len(README.read_bytes()) < README_LIMIT
