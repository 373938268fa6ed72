"""Country-tag precision and recall on labelled texts, per country and overall.

Three tables:
- the English (and some Russian) texts of `tests/tagging_cases.py` and, unless
  `--cases-only`, the 30 seed articles with their labels from `tests/seeds/expected.json`;
- the Russian texts of `tests/tagging_cases_ru.py`, written for tuning the Russian names;
- the held-out Russian texts of `tests/tagging_heldout_ru.py`, written by a helper who
  had not seen the tagger. Nothing is tuned on them, and `--show-errors` never shows
  their errors, so they keep measuring texts the rules were not fitted to.

A tag is correct when the country is one the text is about or one it is acceptable to
tag (a mention that matters); recall counts only the countries a text is about.

    python bench/tagging.py [--cases-only] [--show-errors] [--tuning]

Target: precision and recall >= 0.95, overall and for each country; >= 0.90 on the
held-out Russian texts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.news.countries import tag_countries
from bot.news.gazetteer import COUNTRY_CODES
from bot.news.snapshot import parse_snapshot
from tests.tagging_cases import CASES, Case
from tests.tagging_cases_ru import RUSSIAN_CASES
from tests.tagging_heldout_ru import CASES as HELDOUT_RUSSIAN

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "seeds"
Labelled = tuple[str, str, set[str], set[str]]  # title, body, must, allowed


def from_cases(cases: Iterable[Case]) -> list[Labelled]:
    return [(c.title, c.body, c.must, c.allowed) for c in cases]


def from_seeds() -> list[Labelled]:
    texts = []
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    for name, truth in expected["snapshots"].items():
        parsed = parse_snapshot((SEEDS / name).read_text(encoding="utf-8")).articles
        for article, label in zip(parsed, truth["articles"], strict=True):
            must = set(label["countries"])
            allowed = must | set(label.get("also_acceptable", []))
            texts.append((article.title, "\n\n".join(article.paragraphs), must, allowed))
    return texts


def report(heading: str, texts: list[Labelled], *, show_errors: bool) -> None:
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    for title, body, must, allowed in texts:
        tagged = set(tag_countries(title, body))
        for code in tagged:
            if code in allowed:
                true_pos[code] += code in must or 0  # an allowed extra is neither right nor wrong
            else:
                false_pos[code] += 1
        for code in must - tagged:
            false_neg[code] += 1
        if show_errors and (tagged - allowed or must - tagged):
            print(f"  {title[:70]!r}: tagged {sorted(tagged)}, must {sorted(must)}")

    def ratio(good: int, bad: int) -> float:
        return good / (good + bad) if good + bad else 1.0

    print(f"{heading}: {len(texts)} labelled texts")
    print(f"{'country':<8} {'precision':>9} {'recall':>7} {'tp':>5} {'fp':>4} {'fn':>4}")
    for code in [*COUNTRY_CODES, "all"]:
        if code == "all":
            tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
        else:
            tp, fp, fn = true_pos[code], false_pos[code], false_neg[code]
        print(f"{code:<8} {ratio(tp, fp):>9.3f} {ratio(tp, fn):>7.3f} {tp:>5} {fp:>4} {fn:>4}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases-only", action="store_true", help="leave out the seed articles")
    parser.add_argument("--show-errors", action="store_true", help="of the tuning sets only")
    parser.add_argument("--tuning", action="store_true", help="leave out the held-out set")
    args = parser.parse_args()
    first = from_cases(CASES) + ([] if args.cases_only else from_seeds())
    report("English cases and seeds", first, show_errors=args.show_errors)
    report("Russian cases", from_cases(RUSSIAN_CASES), show_errors=args.show_errors)
    if not args.tuning:
        report("Held-out Russian (never tuned on)", from_cases(HELDOUT_RUSSIAN), show_errors=False)


if __name__ == "__main__":
    main()
