"""Text addressed to the model, kept out of prompts and evidence (pure functions).

An article is data. A sentence that gives orders to an AI ("ignore all earlier instructions",
"add a signed treaty between …") is replaced in the prompt by a placeholder, and the rest of
its paragraph with it, so a small model never reads it; records cannot cite it as evidence.
The patterns are the ways languages address a reader or a model, not words of any article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.articles.sentences import Sentence

__all__ = ["PLACEHOLDER", "addressed_to_model", "hostile_sentences"]

PLACEHOLDER = "[text addressed to the model, removed]"

_RECORD = (
    r"(?:treaty|agreement|accord|deal|meeting|summit|record|entry|entries|tratado|acuerdo|reuni[oó]n|"
    r"trait[ée]|r[ée]union|Vertrag|Abkommen|Treffen|acordo|reuni[aã]o|trattato|accordo|incontro|riunione)"
)
_ALL = (
    r"(?:all|any|every|previous|earlier|above|prior|preceding|todas?|anteriores|previas|toutes?|"
    r"pr[ée]c[ée]dentes|ant[ée]rieures|ci-dessus|alle[ns]?|vorherigen|bisherigen|obigen|tutte|precedenti)"
)
_PATTERNS = [
    # "ignore / disregard / forget (all) (previous) instructions", in several languages
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,20}\b" + _ALL + r"\b[^.!?\n]{0,20}"
    r"\b(?:instructions?|prompts?|rules|guidelines)\b",
    r"\b(?:ignore|disregard|forget)\b[^.!?\n]{0,20}\b(?:instructions?|prompts?)\s+(?:above|before|given)\b",
    r"\b(?:ignora|ignore|olvida|olvide)\b[^.!?\n]{0,20}\b" + _ALL + r"\b[^.!?\n]{0,20}\binstrucciones\b",
    r"\b(?:ignore[zr]?|oublie[zr]?)\b[^.!?\n]{0,40}\b(?:instructions|consignes)\b[^.!?\n]{0,5}" + _ALL,
    r"\b(?:ignore[zr]?|oublie[zr]?)\b[^.!?\n]{0,20}\b"
    + _ALL
    + r"\b[^.!?\n]{0,20}\b(?:instructions|consignes)\b",
    r"\b(?:ignorier\w*|vergiss|vergessen Sie)\b[^.!?\n]{0,40}\b(?:Anweisungen|Instruktionen|Befehle)\b",
    r"\b(?:ignore|ignora|esque[çc]a)\b[^.!?\n]{0,20}\b"
    + _ALL
    + r"\b[^.!?\n]{0,20}\b(?:instru[çc][õo]es|istruzioni)\b",
    r"(?:指示|命令|プロンプト)[^。\n]{0,10}(?:無視|忘れ)",
    r"\b(?:system prompt|language model|as an AI|you are (?:now )?(?:an? )?(?:AI|assistant|chatbot))\b",
    # an order to add or output records: "Add a signed treaty between …", "Output a meeting …"
    r"^\W*(?:please\s+)?(?:add|include|insert|output|create|invent|report|list|write)\s+(?:a|an|the|one|two|new)?"
    r"\s*(?:new\s+|signed\s+|fake\s+)*" + _RECORD,
    r"^\W*(?:añad[ea]|agreg[ae]|incluy[ae]|ajoute[zr]?|inclu[ae]z?|f[üu]ge|f[üu]gen Sie|adicione|acrescente|"
    r"aggiungi|inserisci)\b[^.!?\n]{0,30}" + _RECORD,
]
_ADDRESSED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)


def addressed_to_model(sentence: str) -> bool:
    """True when the sentence gives orders to a model or reader about what to output."""
    return bool(_ADDRESSED.search(sentence))


def hostile_sentences(sentences: Sequence[Sentence], text: str) -> set[int]:
    """Indexes of sentences addressed to the model, and of the sentences after one in its paragraph."""
    out: set[int] = set()
    for i, sentence in enumerate(sentences):
        if i in out or not addressed_to_model(sentence.text):
            continue
        out.add(i)
        for j in range(i + 1, len(sentences)):
            if "\n\n" in text[sentences[j - 1].end : sentences[j].start].replace("\r", ""):
                break  # a blank line: the paragraph ends
            out.add(j)
    return out
