"""Language detection: accuracy on the test samples, speed, start-up cost and memory.

Accuracy is on the paragraphs and headlines of `tests/test_language.py` (written
for this project): paragraphs with no prior, headlines with their outlet's
declared language as the prior, and headlines with no prior at all (the hardest
case; the bot always has a prior). The held-out ones were written after tuning.
Speed is over `--texts` generated texts: one language's sample sentences joined
in random order into texts of 40 to 3,000 characters.

    python bench/language.py [--texts 5000] [--show-errors]

Prints the first detection's time (it loads lingua's models, which `preload`
does at start-up instead), the memory the models add, and detections/s by text
length, in CPU time: the machine may be shared.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.news import language
from tests.test_language import (
    HOLDOUT_PARAGRAPHS,
    HOLDOUT_TITLES,
    PARAGRAPHS,
    SAMPLES,
    TITLES,
    code,
)


def resident_mb() -> float:
    """Resident memory now (Linux), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SIZES = (40, 150, 600, 1_500, 3_000)


def generated(count: int, seed: int = 5) -> list[tuple[int, str, str]]:
    """(size, variety, text): one variety's sample sentences, shuffled, to about `size` chars."""
    rng = random.Random(seed)
    by_variety: dict[str, list[str]] = defaultdict(list)
    for variety, text in SAMPLES:
        by_variety[variety].extend(s.strip() + "." for s in text.split(".") if s.strip())
    varieties = sorted(by_variety)
    texts = []
    for _ in range(count):
        variety = rng.choice(varieties)
        size = rng.choice(SIZES)
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            parts.append(rng.choice(by_variety[variety]))
        texts.append((size, variety, " ".join(parts)))
    return texts


def accuracy(show_errors: bool) -> None:
    settings = [
        ("paragraphs", PARAGRAPHS, False),
        ("titles+prior", TITLES, True),
        ("titles alone", TITLES, False),
        ("held-out par.", HOLDOUT_PARAGRAPHS, False),
        ("h-o t.+prior", HOLDOUT_TITLES, True),
        ("h-o t. alone", HOLDOUT_TITLES, False),
    ]
    right: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], int] = defaultdict(int)
    for name, samples, with_prior in settings:
        for variety, text in samples:
            prior = (code(variety),) if with_prior else ()
            found = language.detect_language(text, prior=prior)
            for key in [(variety, name), ("all", name)]:
                total[key] += 1
                right[key] += found == code(variety)
            if show_errors and found != code(variety):
                print(f"  {name}: {variety} taken for {found}: {text[:60]!r}")
    varieties = sorted({variety for variety, _ in SAMPLES})
    print(f"{'variety':<8}" + "".join(f"{name:>15}" for name, _, _ in settings))
    for variety in [*varieties, "all"]:
        cells = []
        for name, _, _ in settings:
            key = (variety, name)
            cells.append(f"{right[key] / total[key]:.2f} ({right[key]}/{total[key]})")
        print(f"{variety:<8}" + "".join(f"{cell:>15}" for cell in cells))


def speed(count: int) -> None:
    before = resident_mb()
    start = time.perf_counter()
    language.detect_language("Алматыда жаңа мектеп ашылды")  # a title: lingua is asked
    cold = time.perf_counter() - start
    start = time.perf_counter()
    language.preload()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    language.detect_language("Бишкекте жаңы мектеп ачылды")
    warm = time.perf_counter() - start
    print(
        f"first detection: {cold * 1000:.0f} ms (lingua's models load; preload() does it "
        f"at start-up), then preload {loaded * 1000:.0f} ms, next title {warm * 1000:.1f} ms"
    )
    print(f"models: +{resident_mb() - before:.0f} MB resident")
    texts = generated(count)
    print("chars  texts  detections/s (CPU)   µs each (CPU)   wrong  (no prior / outlet's prior)")
    for size in [*SIZES, 0]:
        chosen = [t for t in texts if size in (0, t[0])]
        cells = []
        for with_prior in (False, True):
            wrong = 0
            start = time.process_time()
            for _, variety, text in chosen:
                prior = (code(variety),) if with_prior else ()
                wrong += language.detect_language(text, prior=prior) != code(variety)
            cpu = max(time.process_time() - start, 1e-9)
            cells.append((len(chosen) / cpu, cpu / len(chosen) * 1e6, wrong))
        label = f"~{size:,}" if size else "mixed"
        rates = " / ".join(f"{rate:,.0f}" for rate, _, _ in cells)
        each = " / ".join(f"{us:.0f}" for _, us, _ in cells)
        wrongs = " / ".join(str(wrong) for _, _, wrong in cells)
        print(f"{label:<6} {len(chosen):>5}  {rates:>20}   {each:>13}   {wrongs}")
    print(f"resident memory now: {resident_mb():.0f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=5_000, help="generated texts to time")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    speed(args.texts)
    accuracy(args.show_errors)


if __name__ == "__main__":
    main()
