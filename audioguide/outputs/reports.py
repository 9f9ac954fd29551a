"""What ``chapters --json`` and ``proof --json`` print, and the workbench's API returns: one shape for both."""

from __future__ import annotations

from ..read.chapters import Guide
from ..settings import Settings
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


def proof_rows(proofs: list[ChapterProof]) -> list[dict]:
    """Each chapter's spoken text, every change from the page, and what may still be misread."""
    return [
        {
            "number": p.number,
            "title": p.title,
            "spoken": p.spoken,
            "changes": [{"original": c.original, "spoken": c.spoken} for c in p.changes],
            "flags": [{"text": f.text, "reason": f.reason} for f in p.flags],
        }
        for p in proofs
    ]
