"""Russian sentence splitting against annotated sentence boundaries.

Reads a JSONL file of paragraphs with their annotators' sentences (fields `id`,
`source`, `text`, `sentences`, `text` being the sentences joined by one space) —
by default the Universal Dependencies Russian sample in ../shared/eval/, read in
place (it is CC BY-SA and never copied into this repository) — and splits each
`text` with our Russian rules (`split_sentences(text, "ru")`), with the English
Punkt model we use for English (`split_sentences(text, "en")`), and, for
reference, with Punkt's own Russian model.

The metric is on boundaries, not on sentences: a paragraph's boundaries are the
end offsets (in its text) of each of its sentences except the last one, whose
end is the paragraph's end and is found by any splitter.  Precision is the share
of a splitter's boundaries that the annotators have too (a wrong one cuts a
summary sentence mid-phrase); recall the share of the annotators' boundaries the
splitter finds (a missed one glues two sentences).  Both are summed over all
paragraphs (micro-averaged); F1 is their harmonic mean; sentences/s counts the
annotated sentences split per second.

    python bench/sentences.py [--data PATH] [--errors N]

Target for ours: precision >= 0.99 and recall >= 0.95.  For reference on this
sample: razdel 0.980 / 0.954.  Some annotated sentences end with no punctuation
at all (headings, verse), so no splitter reaches recall 1.0 here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import punkt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.news.sentences import split_sentences

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ru_sentences_dev.jsonl"
Splitter = Callable[[str], list[str]]


@dataclass
class Score:
    found: int = 0  # boundaries the splitter put where the annotators did
    extra: int = 0  # boundaries the annotators did not put
    missed: int = 0  # the annotators' boundaries the splitter did not find
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.extra) if self.found + self.extra else 1.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def boundaries(text: str, sentences: list[str]) -> set[int]:
    """End offsets in `text` of every sentence but the last (each found after the one before)."""
    ends: list[int] = []
    position = 0
    for sentence in sentences:
        start = text.index(sentence, position)
        position = start + len(sentence)
        ends.append(position)
    return set(ends[:-1])


def punkt_russian() -> Splitter:
    tokenizer = punkt.PunktSentenceTokenizer(punkt.load_model("russian"))
    return lambda text: [text[start:end] for start, end in tokenizer.span_tokenize(text)]


@dataclass(frozen=True)
class Paragraph:
    id: str
    text: str
    sentences: list[str]


def load(path: Path) -> list[Paragraph]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [Paragraph(row["id"], row["text"], row["sentences"]) for row in rows]


def evaluate(split: Splitter, rows: list[Paragraph]) -> tuple[Score, float]:
    started = time.perf_counter()
    outputs = [split(row.text) for row in rows]
    elapsed = time.perf_counter() - started
    score = Score()
    for row, output in zip(rows, outputs, strict=True):
        text = row.text
        gold = boundaries(text, row.sentences)
        ours = boundaries(text, output)
        score.found += len(gold & ours)
        score.extra += len(ours - gold)
        score.missed += len(gold - ours)
        for kind, offsets in (("extra ", ours - gold), ("missed", gold - ours)):
            for offset in sorted(offsets):
                context = f"{text[max(0, offset - 50) : offset]}|{text[offset : offset + 30]}"
                score.errors.append(f"{kind} {row.id}: …{context}…")
    sentences = sum(len(row.sentences) for row in rows)
    return score, sentences / elapsed if elapsed > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=int, default=0, help="show N wrong boundaries of ours")
    args = parser.parse_args()
    if not args.data.is_file():
        parser.error(f"no data at {args.data} (give --data PATH)")
    rows = load(args.data)
    systems: list[tuple[str, Splitter]] = [
        ("newsbot ru", lambda text: split_sentences(text, "ru")),
        ("newsbot en", lambda text: split_sentences(text, "en")),
        ("Punkt ru", punkt_russian()),
    ]
    count = sum(len(row.sentences) for row in rows)
    print(f"{len(rows)} paragraphs, {count} sentences from {args.data.name}")
    print(f"{'splitter':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'sentences/s':>12}")
    for index, (name, split) in enumerate(systems):
        score, speed = evaluate(split, rows)
        print(
            f"{name:<12} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f}"
            f" {speed:>12.0f}"
        )
        if index == 0 and args.errors:
            shown = score.errors[: args.errors]
            print("\n".join(f"  {line}" for line in shown))


if __name__ == "__main__":
    main()
