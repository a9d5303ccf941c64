"""How Verbatim compares text, in one place: folding, words, stop words, truncation.

The parser, the importer (who is the same person), search (what matches), quote links
(where the words are) and topic suggestions all compare text through this module, so
'Jørgen Løkke', 'JORGEN LOKKE' and 'Jorgen  Lokke' are one name everywhere, and a word
the index holds is the word a name or a quote compares as. Pure Python with no Django
import, so the parser can use it. Stemming is search's business (transcripts.search.text
adds it on top of `words`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

# Quotes and apostrophes that typesetting and word processors produce, mapped to the two a
# keyboard has; dashes likewise (so "self–defense" splits like "self-defense"); no-break
# spaces to a space. One character for one, so offsets into the text stay valid: quote
# matching translates whole turns with it (str.translate runs in C).
PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\uff02": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)

# Letters that decomposition does not split into a base letter plus accents (ß needs no
# entry: casefold makes it "ss"). Applied after casefold, so lower case is enough.
_LETTERS = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_AFTER_CASEFOLD = str.maketrans({**{chr(k): v for k, v in PUNCTUATION.items()}, **_LETTERS})

# A word: letters and digits, with any combining accents that follow them (decomposed text).
WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])*")

# Words too common to say anything: Whoosh's English stop list, plus the halves of "it's"
# and "don't" once apostrophes split them. The search index drops exactly these, so
# changing this list means running rebuild_index.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "not",
        "of",
        "on",
        "or",
        "tbd",
        "that",
        "the",
        "this",
        "to",
        "us",
        "we",
        "when",
        "will",
        "with",
        "yet",
        "you",
        "your",
        "s",
        "t",
    ]
)

# Matching an unnamed bio line to a speaker's introduction by shared words: the words every
# bio and introduction use ("former", "member", "he", "was") would tie everybody to everybody.
BIO_STOP_WORDS = STOP_WORDS | frozenset(
    [
        "who",
        "she",
        "he",
        "her",
        "his",
        "has",
        "had",
        "been",
        "was",
        "also",
        "its",
        "their",
        "our",
        "my",
        "i",
        "they",
        "being",
        "were",
        "which",
        "where",
        "u",
        "former",
        "member",
        "members",
        "board",
        "directors",
        "director",
        "currently",
        "now",
        "well",
        "one",
        "two",
    ]
)

# Topic suggestion looks for what a transcript is about: besides the common words, the words
# of conversation ("really", "question", "thank"), stage directions and contractions say
# nothing about a topic. Contractions are written as fold() writes them (straight apostrophe).
TOPIC_STOP_WORDS = STOP_WORDS | frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "always",
        "am",
        "among",
        "any",
        "aren't",
        "around",
        "away",
        "back",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "enough",
        "even",
        "ever",
        "every",
        "few",
        "first",
        "further",
        "get",
        "gets",
        "getting",
        "give",
        "given",
        "go",
        "goes",
        "going",
        "gone",
        "got",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "haven't",
        "having",
        "he",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "however",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "into",
        "isn't",
        "it's",
        "its",
        "itself",
        "just",
        "kind",
        "know",
        "known",
        "last",
        "least",
        "less",
        "let",
        "let's",
        "like",
        "likely",
        "lot",
        "lots",
        "made",
        "make",
        "makes",
        "making",
        "many",
        "maybe",
        "me",
        "mean",
        "means",
        "might",
        "more",
        "most",
        "mostly",
        "much",
        "must",
        "my",
        "myself",
        "need",
        "needs",
        "never",
        "new",
        "next",
        "no",
        "nor",
        "now",
        "off",
        "often",
        "once",
        "one",
        "only",
        "other",
        "others",
        "otherwise",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "part",
        "per",
        "perhaps",
        "point",
        "put",
        "quite",
        "rather",
        "really",
        "right",
        "said",
        "same",
        "say",
        "saying",
        "says",
        "second",
        "see",
        "seem",
        "seems",
        "seen",
        "several",
        "shall",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "since",
        "so",
        "some",
        "something",
        "sort",
        "still",
        "such",
        "sure",
        "take",
        "taken",
        "talk",
        "talking",
        "tell",
        "than",
        "thank",
        "thanks",
        "that's",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "thing",
        "things",
        "think",
        "thinking",
        "those",
        "though",
        "three",
        "through",
        "thus",
        "time",
        "times",
        "today",
        "too",
        "two",
        "under",
        "until",
        "up",
        "upon",
        "use",
        "used",
        "very",
        "want",
        "wanted",
        "wants",
        "was",
        "wasn't",
        "way",
        "ways",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "well",
        "went",
        "were",
        "weren't",
        "what",
        "what's",
        "where",
        "where's",
        "whether",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "whose",
        "why",
        "within",
        "without",
        "won't",
        "would",
        "wouldn't",
        "yeah",
        "yes",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "yours",
        "yourself",
        "actually",
        "question",
        "questions",
        "okay",
        "ok",
        "oh",
        "um",
        "uh",
        "anyway",
        "everyone",
        "everybody",
        "somebody",
        "someone",
        "anything",
        "good",
        "great",
        "little",
        "big",
        "long",
        "look",
        "looking",
        "able",
        "across",
        "already",
        "another",
        "become",
        "comes",
        "come",
        "coming",
        "different",
        "especially",
        "example",
        "far",
        "important",
        "including",
        "indeed",
        "instead",
        "keep",
        "kinds",
        "mr",
        "ms",
        "mrs",
        "dr",
        "people",
        "world",
        "year",
        "years",
        "day",
        "days",
        "cent",
        "percent",
        "laughs",
        "laughter",
        "applause",
        "inaudible",
        "crosstalk",
    ]
)


def fold(text: str) -> str:
    """The comparable form of `text`: case, accents and compatibility forms (full-width
    letters, ligatures) removed, letters such as ø, æ, ß, ł, đ, œ, þ spelt in ASCII, curly
    quotes and dashes straightened, whitespace runs made one space: 'Ñandú  Løkke’s' ->
    'nandu lokke's'. fold(fold(x)) == fold(x)."""
    if text.isascii():  # nearly every word: skip the Unicode work
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().translate(_AFTER_CASEFOLD).split())


# Invisible format characters (Unicode category Cf: zero-width space, joiners, soft hyphen,
# word joiner, byte-order mark, direction marks and overrides): a name copied from a web
# page or a PDF carries them unseen, and each spelling became a different person.
INVISIBLE_CHARACTERS = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def strip_invisible_characters(text: str) -> str:
    """`text` without invisible format characters (see INVISIBLE_CHARACTERS)."""
    return INVISIBLE_CHARACTERS.sub("", text) if text else text


# Person.name_key's column size. Folding can make a name many times longer ("ß" -> "ss",
# "ﬃ" -> "ffi", one Arabic ligature -> 18 letters), so a longer key is cut and a hash of the
# whole key put first: two names still share a key only when they fold alike.
NAME_KEY_LENGTH = 200
_HASHED_PREFIX = "#"


def name_key(name: str) -> str:
    """How two spellings of one name compare ('Jørgen Løkke' == 'JORGEN  LOKKE'); full
    stops count as spaces, so 'J.R. Smith' == 'J. R. Smith'; invisible characters (a
    zero-width space, a soft hyphen, a direction mark) do not count.
    At most NAME_KEY_LENGTH characters."""
    key = " ".join(fold(strip_invisible_characters(name)).replace(".", " ").split())
    if len(key) <= NAME_KEY_LENGTH:
        return key
    digest = _HASHED_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:32] + " "
    return digest + key[: NAME_KEY_LENGTH - len(digest)].rstrip()


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """The folded words of `text`, each with the offsets [start, end) of what it came from in
    `text` as written (highlighting marks those characters). A written word may fold into
    two ('½' -> '1', '2') or none."""
    # Lower-casing the whole text once is the cheap part of folding every ASCII word (nearly
    # all of them). It keeps every offset unless a letter lower-cases to two characters
    # ("İ"); then each ASCII word is lower-cased on its own.
    lowered = text.lower()
    whole = len(lowered) == len(text)
    for match in WORD_RE.finditer(lowered if whole else text):
        word = match.group()
        if word.isascii():  # nearly every word: lower case is all its folding
            yield (word if whole else word.lower()), match.start(), match.end()
        else:
            for part in WORD_RE.findall(fold(word)):
                yield part, match.start(), match.end()


def words(text: str) -> list[str]:
    """The folded words of `text`: "Don’t  STOP, Løkke!" -> ['don', 't', 'stop', 'lokke'].
    iter_words without the offsets, in one findall when the text is ASCII (indexing asks
    this for every turn)."""
    if text.isascii():
        return WORD_RE.findall(text.lower())
    found = []
    for word in WORD_RE.findall(text):
        if word.isascii():
            found.append(word.lower())
        else:
            found.extend(WORD_RE.findall(fold(word)))
    return found


def truncate(text: str, limit: int, *, ellipsis: str = "…") -> str:
    """`text` if it fits in `limit` characters, else its start cut after a whole word with
    `ellipsis` added, `limit` characters at most. A first word too long to fit (a link, a
    run of letters) is cut where the limit falls rather than leaving only the ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):  # no room for a word: as much of the ellipsis as fits
        return ellipsis[:limit]
    room = limit - len(ellipsis)
    head = text[: room + 1]  # one more: a space just past the room means the word before it fits
    cut = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    head = head[:cut] if cut > room // 2 else text[:room]
    return head.rstrip(" \t\n,;:") + ellipsis
