"""How far to trust the title and date read from the text before the first speaker.

The header's first block becomes the title (header.py). That is right for a web page
("Combating Human Trafficking"), but some files open with something else: a row of
"=====" from a scraper, a court caption ("UNITED STATES DISTRICT COURT … v. …"), a
block of record fields ("Company: MongoDB Ticker: MDB"), a file name. Such a title is
kept (it is better than none) but marked "low" with a warning that says why, so the
preview asks the reviewer for the real one. Rows of punctuation are dropped from it.
"""

from __future__ import annotations

import re

HIGH, LOW, NONE = "high", "low", "none"

RULE_RE = re.compile(r"(?:^|\s)[=\-_*#~.·•x]{4,}(?=\s|$)")  # "=====", "------------x"
FILE_NAME_RE = re.compile(r"^[\w.\-]+\.(?:txt|md|docx?|pdf|html?|srt|vtt|json|xml|rtf)$", re.I)
CAPTION_RE = re.compile(
    r"\b(?:DISTRICT COURT|SUPREME COURT|COURT OF APPEALS|IN THE MATTER OF|Plaintiffs?|Defendants?)\b|\sv\.\s"
)
FIELD_RE = re.compile(r"(?:^|\s)[A-Z][\w ]{0,20}:\s+\S")
MAX_TITLE_WORDS = 20


def assess_title(title: str, from_text: bool) -> tuple[str, str, str]:
    """(title with punctuation rows removed, confidence, the reason when low).

    `from_text`: the title was read from the lines before the first speaker (not given
    by the page's own title or the file's title: line, which are trusted)."""
    if not title:
        return "", NONE, ""
    cleaned = " ".join(RULE_RE.sub(" ", title).split())
    if not from_text:
        return cleaned or title, HIGH, ""
    if not re.search(r"[^\W\d_]", cleaned):
        return title, LOW, "it has no words"
    if FILE_NAME_RE.match(cleaned):
        return cleaned, LOW, "it looks like a file name"
    if CAPTION_RE.search(cleaned) and (cleaned.upper() == cleaned or " v. " in cleaned):
        return cleaned, LOW, "it looks like a court's case heading"
    if len(FIELD_RE.findall(cleaned)) >= 2:
        return cleaned, LOW, "it looks like a list of fields (name: value)"
    if cleaned != " ".join(title.split()):
        return cleaned, LOW, "it came with rows of dashes or other marks around it"
    if len(cleaned.split()) < 2 or cleaned[-1] in ",;:(–-":
        return cleaned, LOW, "it is a single word or looks cut off"
    if len(cleaned.split()) > MAX_TITLE_WORDS:
        return cleaned, LOW, "it is long for a title"
    return cleaned, HIGH, ""


def title_warning(title: str, reason: str) -> str:
    shown = title if len(title) <= 80 else title[:79] + "…"
    return f"The title '{shown}' may be wrong: {reason}. Check it in the preview and type the event's real title."


NO_TITLE = (
    "No title found in the text before the first speaker. Type the event's title in the preview, "
    "or start the file with a line 'title: …' between two '---' lines."
)
