"""Phrase grammar: one clause of a 考核细则 sentence → what it says about scoring.

The third stage of ``kaohe draft``. These documents write their rules in a
small number of formulaic phrases; each recogniser below is one such
phrase family, written as a pattern over the normalised text (full-width
forms already folded), never as a list of sentences:

- a deduction per occurrence — 每少/每缺/每有/每发现/每出现 …, 少一次, 一名…
  followed by 扣/减(去/掉) X 分; a fixed deduction — …的减 X 分;
- the floor — 扣完为止 / 减完为止 / 扣完 N 分为止;
- all or nothing — 未…的(,)此项(内容)不得分 / 得满分;
- a band of a rate — 达到 X% 以上 / X% 至 Y% / 低于 X% (含/不含) 得 Y 分, 得满分, 不得分, 减 Z 分;
- bonuses by level — 国家级、省级、市级 … 分别加 X、Y、Z 分; 每项加 X 分; 不累计 / 以最高为准; 最高不超过 N 分;
- proportional — 按比例 / 同比例扣减; weighted parts — 按 X% 折算 / 占 X% / × X%;
- vetoes — 一票否决, 取消…资格, 不得评为; grade bands — X 分以上为优秀, X—Y 分为良好;
  rank quotas — 按 X% 的比例, 前 N 名, 一等奖 N 名.

Each recogniser returns a frozen value or None; the next stage
(engine/draft/rules.py) turns an item's values into one rule.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from engine.draft.numbering import cn_number

NUM = r"(\d+(?:\.\d+)?)"
_CN_OR_NUM = r"(\d+|[一二三四五六七八九十两]+)"
_DEDUCT = re.compile(rf"(?:扣|减)(?:去|掉|除|减)?\s*{NUM}\s*分")
_ADD = re.compile(rf"加\s*{NUM}\s*分")
_PER = re.compile(r"每|[少缺]\s*一|一\s*(?:次|项|名|人次|份|篇|个|人|条|起|例)")
_UNIT = re.compile(r"(?:每|一)\s*(?:[少缺有]|缺少|发现|出现|查出|发生|超过)?\s*(人次|次|项|名|份|篇|个|人|条|起|例|%)")
_FLOOR = re.compile(rf"[扣减]完(?:{NUM}分)?为止")
_NOTHING = re.compile(r"不得分|不计分|得0分|不给分|计0分|为0分")
_FULL = re.compile(rf"得满分|满分|得\s*{NUM}\s*分")
_FILLER = re.compile(r"(?:在|从)?(?:此|该|本)项(?:内容|总分|得分|分值)?中?|的$")
#: Words that scoring sentences are made of; a sentence with one of them (or a digit) that no recogniser read is listed.
SCORING = re.compile(r"\d|%|[扣减加]\s*\d|得分|不得分|满分|否决|不超过|名次|比例|权重|折算")
LEVEL_WORDS = ("国家级", "国家", "全国", "中央", "部级", "省部级", "省级", "全省", "省", "自治区", "地市级", "市级", "全市", "市", "州",
               "县级", "全县", "县", "区级", "区", "乡镇", "乡", "镇", "街道", "本级", "本单位", "校级", "院级", "厂级", "局级")


def number(text: str) -> Decimal:
    """A number as written (Arabic or Chinese numerals)."""
    value = cn_number(text)
    return Decimal(value) if value is not None else Decimal(text)


def clauses(sentence: str) -> list[str]:
    """A sentence cut at its commas (the clauses a rule is made of); brackets are kept with their clause."""
    return [c.strip(" ()。") for c in re.split(r"[,:]", sentence) if c.strip(" ()。")]


def event_of(clause: str, cut: int) -> str:
    """What a clause is about: its text before the amount at ``cut``, without "在此项中", "的"."""
    text = clause[:cut]
    text = re.sub(r"^(?:否则|如|若|凡|对|其中|但|并且?|且)", "", text.strip())
    for _ in range(3):
        text = _FILLER.sub("", text).strip(" ,、的")
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")  # a bracket the clause split opened or closed elsewhere
    return text


@dataclasses.dataclass(frozen=True)
class Deduction:
    """A deduction: ``per`` each time an event happens, or ``points`` once when it does."""

    event: str
    amount: Decimal
    per: bool
    unit: str


def deduction(clause: str) -> Deduction | None:
    """每少一册扣去0.3分 → per 0.3; 未执行减3分 → points 3 (an addition or a tier is not a deduction)."""
    match = _DEDUCT.search(clause)
    if match is None or "%" in clause[: match.start()] and re.search(r"\d+\s*%\s*(?:至|到|-|—|~|以上|以下|之间)", clause) \
            and "每" not in clause[: match.start()]:
        return None
    before = clause[: match.start()]
    per = bool(_PER.search(before))
    unit = _UNIT.search(before)
    return Deduction(event_of(clause, match.start()), Decimal(match[1]), per, unit[1] if unit else "次")


def floor(clause: str) -> Decimal | None | bool:
    """扣完为止 → True (the floor is 0); 扣完 5 分为止 → 5 (at most 5 taken); None if not a floor."""
    match = _FLOOR.search(clause)
    if match is None:
        return None
    return Decimal(match[1]) if match[1] else True


def at_least(text: str) -> tuple[str, int, str] | None:
    """至少 4 次 → (what is done, 4, 次): the count a per-missing deduction is measured against."""
    match = re.search(rf"(?:至少|不少于|不低于)\s*{_CN_OR_NUM}\s*(次|项|篇|个|人|条)", text)
    if match is None:
        return None
    value = cn_number(match[1])
    if value is None:
        return None
    what = re.sub(r"^(?:其中|并|且|要|必须)", "", text[: match.start()].strip(" ,、"))
    return what, value, match[2]


@dataclasses.dataclass(frozen=True)
class Nothing:
    """All or nothing: the item gets nothing when ``event`` holds (``positive``: gets full marks when it holds)."""

    event: str
    positive: bool


def nothing(clause: str, before: str, full: Decimal) -> Nothing | None:
    """未…的此项不得分 → Nothing(未…); 达到要求的得满分 / 得 <full> 分 → Nothing(达到要求, positive)."""
    if "%" in clause:
        return None
    match = _NOTHING.search(clause)
    if match is not None:
        event = event_of(clause, match.start()) or event_of(before, len(before))
        return Nothing(event, False) if event else None
    match = _FULL.search(clause)
    if match is not None and (match[1] is None or Decimal(match[1]) == full) and not re.search(r"\d", clause[: match.start()]):
        # A bare "得满分" after the conditions it closes says only what max says; it is read, and adds nothing.
        return Nothing(event_of(clause, match.start()), True)
    return None


@dataclasses.dataclass(frozen=True)
class Band:
    """A band of a rate and the points it gives; bounds are None where open."""

    rate: str
    low: Decimal | None
    low_in: bool
    high: Decimal | None
    high_in: bool
    points: Decimal | None
    deduct: Decimal | None


_RATE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:率|度|比例|比重|占比))")
_RANGE = re.compile(rf"{NUM}\s*%?\s*(?:\((不?含)[^)]*\))?\s*(?:至|到|-|—|–|~)\s*{NUM}\s*%")
_LOW = re.compile(rf"(超过|高于|不低于|达到|达|在|实现)?\s*{NUM}\s*%\s*(?:\((不?含)[^)]*\))?\s*(及以上|以上|或以上)?")
_HIGH = re.compile(rf"(低于|不足|未达到|未达|不到|少于)\s*{NUM}\s*%|{NUM}\s*%\s*(?:\((不?含)[^)]*\))?\s*(?:的)?\s*(及以下|以下)")


def band(clause: str, rate: str, full: Decimal) -> Band | None:
    """One band: 90%以上得2分, 70%至75%(含)的得3分, 低于80%不得分, 60%至75%之间减3分; ``rate`` carries over."""
    if "%" not in clause or re.search(r"每[^%]*?\d+(?:\.\d+)?\s*%", clause):
        return None  # 每超出 2% 扣 1 分 counts percentage points: a deduction, not a band
    named = _RATE.search(clause)
    rate = named[1] if named else rate
    points: Decimal | None = None
    deduct: Decimal | None = None
    if _NOTHING.search(clause):
        points = Decimal(0)
    elif "满分" in clause:
        points = full
    elif (gain := re.search(rf"得\s*{NUM}\s*分", clause)) is not None:
        points = Decimal(gain[1])
    elif (loss := _DEDUCT.search(clause)) is not None:
        deduct = Decimal(loss[1])
    else:
        return None
    exclusive = "不含" in clause
    ranged = _RANGE.search(clause)
    if ranged:
        a, b = Decimal(ranged[1]), Decimal(ranged[3])
        return Band(rate, min(a, b), True, max(a, b), not exclusive, points, deduct)
    high = _HIGH.search(clause)
    if high:
        if high[1]:
            return Band(rate, None, True, Decimal(high[2]), False, points, deduct)
        return Band(rate, None, True, Decimal(high[3]), not (exclusive or high[4]), points, deduct)
    low = _LOW.search(clause)
    if low:
        strict = low[1] in ("超过", "高于") or bool(low[3] and low[3] == "不含")
        return Band(rate, Decimal(low[2]), not strict, None, True, points, deduct)
    return None


@dataclasses.dataclass(frozen=True)
class Level:
    """One level of a bonus: its name, points, and whether it counts occurrences (每项加 X 分)."""

    title: str
    points: Decimal
    counted: bool


def listed_levels(clause: str) -> list[Level] | None:
    """国家级、省级、市级…表彰的分别加 5、4、3 分 → one level per name, in order."""
    match = re.search(rf"分别(?:加|得|计|奖励)\s*({NUM}(?:\s*[、,/]\s*{NUM})+)\s*分", clause)
    if match is None:
        return None
    values = [Decimal(v) for v in re.findall(NUM, match[1])]
    before = clause[: match.start()]
    names = _level_list(before, len(values))
    if names is None:
        return None
    tail = re.split(r"[的,]", before[before.rfind(names[-1]) + len(names[-1]):] + "的")[0]
    return [Level(f"{name}{tail}"[:16], value, True) for name, value in zip(names, values)]


def _level_list(text: str, count: int) -> list[str] | None:
    """The last run of ``count`` names joined by 、 in ``text``, each trimmed to its level word."""
    pieces = text.split("、")
    if len(pieces) < count:
        return None
    names = pieces[-count:]
    first = names[0]
    starts = [first.rfind(w) for w in LEVEL_WORDS if w in first]
    names[0] = first[max(starts):] if starts else first[-4:]
    last = names[-1]
    ends = [last.find(w) + len(w) for w in LEVEL_WORDS if last.startswith(w)]
    names[-1] = last[: max(ends)] if ends else re.split(r"表彰|奖励|认可|批示|的", last)[0]
    return [n.strip() for n in names] if all(n.strip() for n in names) else None


def bonus(clause: str, before: str = "") -> Level | None:
    """…的加 5 分 → a level (named by the clause, or by the clause before: "在…推介的工作,每项加 2 分"); 每项 → counted."""
    match = _ADD.search(clause)
    if match is None:
        return None
    title = event_of(clause, match.start())
    title = re.sub(r"每(?:项|篇|次|个|件)$", "", title).strip(" ,的") or event_of(before, len(before)) or clause[: match.start()]
    return Level(title[:24], Decimal(match[1]), "每" in clause[: match.start()])


def highest_only(text: str) -> bool:
    """不累计 / 不能累计 / 以最高为准 / 就高: only the highest level counts."""
    return bool(re.search(r"不(?:能|得|予|重复)?累计|以最高|取最高|就高|只计最高|按最高", text))


def cap(text: str) -> Decimal | None:
    """最高不超过 N 分 / 最多加 N 分 / 累计不超过 N 分 / 加分不超过 N 分."""
    match = re.search(rf"(?:最高|最多|累计|加分|合计)(?:加|得|不超过|不得超过|为)*\s*{NUM}\s*分", text)
    return Decimal(match[1]) if match else None


def proportional(clause: str) -> str | None:
    """按…得分…同比例扣减 / 按比例计分 → the name of the score it is proportional to."""
    if not re.search(r"同比例|按比例|按照比例|比例(?:扣减|折算|计分|计算|得分)", clause):
        return None
    match = re.search(r"按(?:照)?(.{2,24}?)(?:实际)?(?:得分|分数|成绩)", clause)
    return (match[1] + "得分").strip(" ,的") if match else "实际得分"


def weight(clause: str) -> tuple[str, Decimal] | None:
    """A(100分)…按 40% 折算 / 占总分的 40% / × 40% → (A, 0.4)."""
    match = re.search(rf"按\s*{NUM}\s*%\s*(?:折算|计算|计入|计分)|(?:占(?:总分的?)?|×|\*|乘以|权重(?:为)?)\s*{NUM}\s*%", clause)
    if match is None:
        return None
    head = re.split(r"\(|计入|按|占|×|权重", clause[: match.start()], maxsplit=1)[0]
    head = re.sub(r"^(?:其中|对|将)", "", head).strip(" ,、的")
    value = match[1] or match[2]
    return (head[:30], Decimal(value) / 100) if head else None


def veto_heading(text: str) -> bool:
    """一票否决 / 取消…资格 / 不得评为 …: the sentence (or the list below it) disqualifies."""
    return bool(re.search(r"一票否决|取消.{0,12}资格|不得评为|不能评为|实行否决|否决评先", text))


@dataclasses.dataclass(frozen=True)
class GradeBand:
    """A grade band on the total: ``value`` for a total in [low, high)."""

    value: str
    low: Decimal | None
    low_in: bool
    high: Decimal | None
    high_in: bool


_GRADE_NAME = r"[\"“]?([\u4e00-\u9fff]{1,6}?)[\"”]?(?=等次|档次|等级|单位|$|[,。;:、的\"”(])"


def grade_band(clause: str) -> GradeBand | None:
    """90 分以上为优秀 / 75—89 分为良好 / 60 分以下为不合格 / 70分以下视为未达标."""
    verb = r"(?:的)?(?:为|评为|定为|确定为|视为|列为|评定为)"
    match = re.search(rf"{NUM}\s*(?:分)?\s*(?:-|—|–|~|至|到)\s*{NUM}\s*分\s*{verb}\s*{_GRADE_NAME}", clause)
    if match:
        return GradeBand(match[3], Decimal(match[1]), True, Decimal(match[2]), True)
    match = re.search(rf"{NUM}\s*分\s*(以上|及以上|以下|及以下)\s*(?:\((不?含)[^)]*\))?\s*{verb}\s*{_GRADE_NAME}", clause)
    if match:
        if "上" in match[2]:
            return GradeBand(match[4], Decimal(match[1]), match[3] != "不含", None, True)
        return GradeBand(match[4], None, True, Decimal(match[1]), match[3] == "含")
    match = re.search(rf"(?:低于|不足|不满|未达到)\s*{NUM}\s*分\s*{verb}\s*{_GRADE_NAME}", clause)
    if match:
        return GradeBand(match[2], None, True, Decimal(match[1]), False)
    match = re.search(rf"(达标|合格|优秀|良好|称职|先进)[^,。;]{{0,12}}?为\s*{NUM}\s*分", clause)
    if match:
        return GradeBand(match[1], Decimal(match[2]), True, None, True)
    return None


@dataclasses.dataclass(frozen=True)
class Quota:
    """A rank quota: ``share`` (0.4) or ``count`` (2) of the units get ``label``."""

    label: str
    share: Decimal | None
    count: int | None


def quotas(clause: str) -> list[Quota]:
    """按 40% 左右的比例…为优秀 / 不超过 X% / 前 N 名 / 一等奖二名，二等奖四名."""
    prizes = re.findall(rf"([一二三四五六七八九十]等奖|特等奖)\s*{_CN_OR_NUM}\s*(?:名|个|人)", clause)
    if prizes:
        return [Quota(label, None, int(number(n))) for label, n in prizes]
    match = re.search(rf"(?:按|不超过|控制在)\s*{NUM}\s*%\s*(?:左右)?(?:的比例)?.*?(?:为|评为|评选|确定为)\s*{_GRADE_NAME}", clause)
    if match:
        return [Quota(match[2], Decimal(match[1]) / 100, None)]
    match = re.search(rf"前\s*{_CN_OR_NUM}\s*名.*?(?:为|评为|确定为)\s*{_GRADE_NAME}", clause)
    if match:
        return [Quota(match[2], None, int(number(match[1])))]
    return []
