"""Role words in the languages transcripts come in, and the affixes that wrap names
written without spaces (Chinese, Japanese).

A label says what its speaker is at the event in the document's own language: the
Bundestag's "Präsident Dr. Norbert Lammert", the French Commons' "Le Président", a Diet
committee's "委員長", a Chinese interview's "主持人许波" (host Xu Bo) and "郭文贵先生" (Mr
Guo Wengui). These words are titles, not names: they are kept apart from the name (so
"郭文贵先生" and "郭文贵" are one person) and they give the speaker a role.

English words stay in people.py's own vocabulary; English "President" is the head of a
state at an event ("THE PRESIDENT"), while "Präsident", "Président" and "Presidente" in
a label are the chair of the sitting.
"""

from __future__ import annotations

from .model import CHAIR, COUNSEL, HOST, MEMBER, PRESIDER, QUESTIONER, WITNESS

# Word (case-folded) -> the role it gives the speaker it labels.
ROLE_BY_WORD = {
    # who chairs a sitting or a committee
    **dict.fromkeys(
        [
            "präsident",
            "präsidentin",
            "vizepräsident",
            "vizepräsidentin",
            "alterspräsident",
            "alterspräsidentin",
            "vorsitzender",
            "vorsitzende",
            "président",
            "présidente",
            "vice-président",
            "vice-présidente",
            "presidente",
            "presidenta",
            "vicepresidente",
            "vicepresidenta",
            "voorzitter",
            "cathaoirleach",
            "leas-chathaoirleach",
            "chairperson",
        ],
        CHAIR,
    ),
    # who moderates or hosts
    **dict.fromkeys(
        ["moderator", "moderatorin", "modérateur", "modératrice", "moderador", "moderadora", "moderatore"],
        PRESIDER,
    ),
    **dict.fromkeys(["animateur", "animatrice", "présentateur", "présentatrice", "gastgeber", "gastgeberin"], HOST),
    # who answers under oath, who argues, who asks
    **dict.fromkeys(["témoin", "zeuge", "zeugin", "testigo", "testimone", "getuige"], WITNESS),
    **dict.fromkeys(["avocat", "avocate", "anwalt", "anwältin", "rechtsanwalt", "rechtsanwältin", "abogado"], COUNSEL),
    **dict.fromkeys(
        ["journaliste", "journalist", "journalistin", "periodista", "reporterin", "fragesteller"], QUESTIONER
    ),
    # who sits in the chamber
    **dict.fromkeys(
        [
            "député",
            "députée",
            "abgeordneter",
            "abgeordnete",
            "diputado",
            "diputada",
            "sénateur",
            "sénatrice",
            "senador",
        ],
        MEMBER,
    ),
}
# Courtesy words before a name in other languages ("Herr Kauder", "Frau Pau", "Mme Roy").
COURTESY_WORDS_ELSEWHERE = {"herr", "frau", "monsieur", "madame", "mme", "mlle", "señor", "señora", "signor", "signora"}
# Words that stand before a name as what the speaker is, not who: stripped from a name.
TITLE_WORDS_ELSEWHERE = set(ROLE_BY_WORD) | COURTESY_WORDS_ELSEWHERE
# Diarisation placeholders in other languages ("Sprecher 2", "Intervenant 1"): nobody in particular.
PLACEHOLDER_WORDS_ELSEWHERE = {
    "sprecher",
    "sprecherin",
    "intervenant",
    "intervenante",
    "locuteur",
    "locutrice",
    "hablante",
    "orador",
    "oradora",
    "spreker",
    "relatore",
}

# Role words written before or after a name with no space between ("主持人许波",
# "龚小夏记者", "郭文贵先生", "佐藤勉君"). Longest first, so "委員長" is not read as "委員".
CJK_ROLE_AFFIXES = {
    **dict.fromkeys(["主持人", "节目主持人", "節目主持人"], HOST),
    **dict.fromkeys(["司会者", "司会", "司仪", "司儀"], PRESIDER),
    **dict.fromkeys(
        ["主席", "议长", "議長", "副议长", "副議長", "委员长", "委員長", "会长", "会長", "會長", "委员会主席"],
        CHAIR,
    ),
    **dict.fromkeys(["记者", "記者", "提问", "提問", "質問者", "观众", "觀眾"], QUESTIONER),
    **dict.fromkeys(["证人", "證人", "証人", "参考人", "参考人"], WITNESS),
    **dict.fromkeys(["律师", "律師", "弁護人", "弁護士", "检察官", "檢察官", "検察官"], COUNSEL),
    **dict.fromkeys(["议员", "議員", "委员", "委員", "代表"], MEMBER),
    # Courtesy and rank words give no role at the event.
    **dict.fromkeys(
        ["先生", "女士", "小姐", "夫人", "太太", "教授", "博士", "老师", "老師", "さん", "氏", "君", "様", "殿"],
        "",
    ),
}
_AFFIXES_LONGEST_FIRST = sorted(CJK_ROLE_AFFIXES, key=len, reverse=True)
# Recordings and music played during an interview ("播放录音：", "录音内容："): a moment, not a person.
CJK_PSEUDO_CORES = {
    "录音",
    "錄音",
    "録音",
    "音乐",
    "音樂",
    "音楽",
    "广告",
    "廣告",
    "视频",
    "視頻",
    "录像",
    "錄像",
    "休息",
}
_PSEUDO_AFFIXES = ("播放", "内容", "內容", "片段")


def cjk_name_and_roles(label: str) -> tuple[str, list[str]]:
    """ "主持人许波" -> ("许波", ["主持人"]); "记者申华提问" -> ("申华", ["记者", "提问"]);
    "郭文贵先生" -> ("郭文贵", ["先生"]). At least two characters of name are kept, so a
    label that is only a role ("主席") stays itself with no affix taken."""
    name, found = label.strip(), []
    changed = True
    while changed:
        changed = False
        for affix in _AFFIXES_LONGEST_FIRST:
            if name.startswith(affix) and len(name) - len(affix) >= 2:
                name, changed = name[len(affix) :], True
                found.append(affix)
            elif name.endswith(affix) and len(name) - len(affix) >= 2:
                name, changed = name[: -len(affix)], True
                found.append(affix)
    return name, found


def cjk_role(words: list[str]) -> str:
    """The role the first role-giving affix gives, or ""."""
    return next((CJK_ROLE_AFFIXES[w] for w in words if CJK_ROLE_AFFIXES.get(w)), "")


def is_cjk_pseudo_label(label: str) -> bool:
    """ "录音", "播放录音", "录音内容": a recording played, no speaker."""
    core = label.strip()
    for affix in _PSEUDO_AFFIXES:
        core = core.removeprefix(affix).removesuffix(affix)
    return core in CJK_PSEUDO_CORES


def word_role(word: str) -> str:
    """The role a non-English title word gives ("Präsident" -> chair), or ""."""
    return ROLE_BY_WORD.get(word.strip(".").casefold(), "")
