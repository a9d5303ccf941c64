"""Make static/fonts/NotoSansCJK-subset.otf, the font quote cards draw Chinese, Japanese and
Korean text in (DejaVu has no CJK glyphs, so such words would be boxes).

Noto Sans CJK (SIL Open Font License 1.1) is 19 MB; the subset keeps the characters of
GB2312 (simplified Chinese), Big5 level 1 (traditional), JIS X 0208 level 1 (Japanese),
the 2,350 common Hangul syllables of KS X 1001, kana, CJK punctuation, fullwidth forms and
ASCII: about 12,500 characters, 2.4 MB. A rarer character still draws as a box.

Run once, as root (it installs Debian's font package), from the project root:
    apt-get install -y fonts-noto-cjk
    .venv/bin/python tools/cjk_font_subset.py
fontTools is pinned in requirements-dev.txt.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SIMPLIFIED_CHINESE = 2  # the font of the collection whose glyph shapes are used (SC)
OUT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "NotoSansCJK-subset.otf"


def characters() -> str:
    chars: set[str] = set()

    def double_byte(encoding: str, lead, trail) -> None:
        for first in lead:
            for second in trail:
                with contextlib.suppress(UnicodeDecodeError):  # a code the encoding leaves unassigned
                    chars.update(bytes([first, second]).decode(encoding))

    double_byte("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    double_byte("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    double_byte("euc_jp", range(0xA1, 0xD0), range(0xA1, 0xFF))  # JIS X 0208: kana and level 1 kanji
    double_byte("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))
    chars.update(chr(c) for c in range(0x3000, 0x3100))  # CJK punctuation, hiragana, katakana
    chars.update(chr(c) for c in range(0xFF00, 0xFFF0))  # fullwidth forms
    chars.update(chr(c) for c in range(0x20, 0x7F))  # ASCII, for mixed text
    chars.update("“”‘’—–…·")
    return "".join(sorted(chars))


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as text:
        text.write(characters())
        text.flush()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "pyftsubset"),
                str(SOURCE),
                f"--font-number={SIMPLIFIED_CHINESE}",
                f"--text-file={text.name}",
                "--no-hinting",
                "--layout-features=",
                "--name-IDs=*",
                f"--output-file={OUT}",
            ],
            check=True,
        )
    print(f"{OUT} ({OUT.stat().st_size / 2**20:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
