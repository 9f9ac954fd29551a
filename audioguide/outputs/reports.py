"""What ``chapters --json``, ``proof --json`` and ``voices --json`` print, and the workbench's API
returns: one shape for both."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..engines import Voice
from ..read.chapters import Chapter, Guide
from ..settings import Settings
from ..speech.prepare import ANNOUNCEMENT, Utterance
from ..speech.proof import ChapterProof


def chapter_rows(guide: Guide, settings: Settings) -> list[dict]:
    """Each chapter's number, title, words, estimated speaking time and file slug."""
    return [
        {
            "number": chapter.number,
            "title": chapter.title,
            "words": chapter.words,
            "estimated_seconds": chapter.estimated_seconds(settings.rate),
            "file_slug": chapter.slug,
        }
        for chapter in guide.chapters
    ]


def proof_rows(proofs: list[ChapterProof], left_out: Sequence[Chapter] = ()) -> list[dict]:
    """Each chapter's spoken text, every change from the page, and what may still be misread, with
    each utterance and the kind of block it reads (a proof shows paragraphs and list items as the
    page does); and, in their places, the parts left out (numbered as in the document)."""
    rows = [_proof_row(p) for p in proofs]
    for chapter in sorted(left_out, key=lambda chapter: chapter.number):
        row = {"number": chapter.number, "title": chapter.title, "spoken": "", "changes": [], "flags": []}
        rows.insert(chapter.number - 1, {**row, "utterances": [], "left_out": True})
    return rows


def _proof_row(proof: ChapterProof) -> dict:
    return {
        "number": proof.number,
        "title": proof.title,
        "spoken": proof.spoken,
        "changes": [{"original": c.original, "spoken": c.spoken} for c in proof.changes],
        "flags": [
            {"text": f.text, "reason": f.reason, "sentence": _sentence_of(f.text, proof.utterances)}
            for f in proof.flags
        ],
        "utterances": [
            {
                "page": u.page,
                "spoken": u.spoken,
                "kind": "announcement" if u.block == ANNOUNCEMENT else proof.blocks[u.block].kind.value,
                "block": None if u.block == ANNOUNCEMENT else u.block,
                "changes": [{"original": c.original, "spoken": c.spoken} for c in u.changes],
            }
            for u in proof.utterances
        ],
        "left_out": False,
    }


def _sentence_of(text: str, utterances: Iterable[Utterance]) -> str | None:
    """The page text of the first sentence a flag's text is in (an excerpt's by its beginning)."""
    wanted = text.removesuffix(" …")
    return next((u.page for u in utterances if wanted and wanted in " ".join(u.page.split())), None)


def voice_rows(voices: Iterable[Voice], language: str | None = None) -> list[dict]:
    """Each voice's id, name, languages, sample rate and licence; only those of ``language`` if given
    ("en" takes "en-us" and "en-gb"; "en-us" only "en-us" and its own regions)."""
    wanted = language.lower().replace("_", "-") if language else None
    return [
        {
            "id": v.id, "name": v.name, "languages": list(v.languages), "sample_rate": v.sample_rate,
            "licence": v.licence,
        }
        for v in voices
        if wanted is None or any(_speaks(lang, wanted) for lang in v.languages)
    ]  # fmt: skip


def _speaks(spoken: str, wanted: str) -> bool:
    """A voice's language is the one wanted, or one of its regions ("en-gb" of "en")."""
    return spoken.lower() == wanted or spoken.lower().startswith(wanted + "-")
