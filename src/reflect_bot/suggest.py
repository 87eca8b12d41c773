"""Suggestions from the leader's own words: which tier they sit closest to, and which case studies.

Both are the project's own reading of the words, never a verdict:

- `closest_tier(framework, statement_id, texts)` compares the leader's answers with the statement's
  three descriptors (shared content words, lightly stemmed, weighted by how well they tell the tiers
  apart) and with each tier's qualifier words ("beginning / some" vs "increasingly / more" vs
  "consistently / embedded"). Negation counts: "not yet consistent", "less consistent" and
  "consistent in English, less so in maths" are no sign of consistency but of the tiers below, and
  "more consistent" is Strengthening Practice's "more". It returns a `Hint` naming the words that
  counted for its tier, or None when the words say too little.
- `suggest_case_studies(framework, statement_id, texts)` ranks the case studies of the statement's
  own area by the statement they relate to, the project's tags and themes, and the leader's words,
  each with a reason in plain words.

Everything here is deterministic and cheap: the framework's side is worked out once per framework.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from reflect_bot.framework import CaseStudy, Framework, Statement
from reflect_bot.replies import Hint

# --- Words --------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _words(
    """
    a about above after again against also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me my myself of off on once only or other ought our ours ourselves out over
    own same she should so such than that the their theirs them themselves then there these they
    this those through to too under until up upon us very was we were what when where which while
    who whom why will with would you your yours yourself yourselves etc eg ie get got lot lots
    really quite think thing things way ways use used using make makes made well also able know
    need needs there's it's we're they're i'm yes yet
    """
)
# Words a descriptor may use that say nothing about how far practice has come: never cited as
# the words that drove a hint.
_COMMON = _words(
    """
    place places school schools pupil pupils parent parents carer carers child children family
    families learner learners staff teacher teachers leader leaders adult adults class classes
    time times year years work works working practice provision support area areas part parts
    people everyone someone thing place-based term terms lesson lessons
    """
)
# Words that turn the next few words around: "not yet consistent", "no clear plan".
_NEGATORS = _words(
    "not no never nor cannot can't don't doesn't didn't isn't aren't wasn't weren't haven't "
    "hasn't hadn't won't wouldn't shouldn't couldn't without lack lacks lacking"
)
# Words that weaken the word after them much as "not" does: "less consistent", "rarely embedded".
# ("far from" is one too; "less so" looks back instead, see `_signs`.)
# Two-word negators: "far from consistent"; and in descriptors as in answers, "rather than deficits
# or labels" and "instead of deficits" say what practice is not.
_NEGATING_PAIRS = frozenset({("far", "from"), ("rather", "than"), ("instead", "of")})
_WEAKENERS = _words("less hardly barely rarely seldom scarcely")
# After a negator these undo it: "not only consistent but embedded".
_NOT_NEGATING = _words("only just merely")
# Where a negation stops.
_SCOPE_BREAKS = _words("but though although however whereas while and")
_NEGATION_REACH = 3  # content words after a negator that it turns around
_WEAKENING_REACH = 1  # "less able pupils are consistently supported" is consistent

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[.,;:!?()]")
_SUFFIXES = (
    "ingly", "edly", "ally", "ment", "ness", "ing", "ion", "ies", "ly", "ed", "es", "s"
)  # fmt: skip


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A light stem: "consistently" and "consistent" meet, "inconsistent" stays apart."""
    word = word.lower().removesuffix("'s")
    for _ in range(2):  # "evaluations" -> "evaluation" -> "evaluat"
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                break
        else:
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # embedded -> embedd -> embed, planned -> plann -> plan
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # improve -> improv, as improving and improved
    return word


_REWRITES = (
    (re.compile(r"[’‘]"), "'"),
    (re.compile(r"\bco[\s\-]?(?=produc)"), "co"),  # co-production, co produce, coproduction
    (re.compile(r"\btas\b"), "teaching assistants"),
    (re.compile(r"\bta\b"), "teaching assistant"),
    (re.compile(r"(?<=\w)[\-–](?=\w)"), " "),  # strengths-based -> strengths based
)


# The small records below are named tuples rather than frozen dataclasses: as immutable, and much
# cheaper to define when the module is imported (on the way to resuming a session).


class _Normal(NamedTuple):
    """Lower-cased text with some spellings made one; remembers where each character came from."""

    text: str
    starts: tuple[int, ...]  # for each character of `text`, the stretch of the original text
    ends: tuple[int, ...]  # it came from (a rewritten word: the whole word it replaced)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def _normalise(text: str) -> _Normal:
    normal = text.lower()
    if len(normal) == len(text):
        starts = list(range(len(text)))
    else:  # a few letters lower-case to two characters ("İ")
        starts = [i for i, char in enumerate(text) for _ in char.lower()]
    ends = [i + 1 for i in starts]
    for pattern, replacement in _REWRITES:
        pieces, new_starts, new_ends, last = [], [], [], 0
        for match in pattern.finditer(normal):
            pieces += [normal[last : match.start()], replacement]
            new_starts += starts[last : match.start()]
            new_ends += ends[last : match.start()]
            if match.end() > match.start():
                new_starts += [starts[match.start()]] * len(replacement)
                new_ends += [ends[match.end() - 1]] * len(replacement)
            last = match.end()
        pieces.append(normal[last:])
        new_starts += starts[last:]
        new_ends += ends[last:]
        normal, starts, ends = "".join(pieces), new_starts, new_ends
    return _Normal(normal, tuple(starts), tuple(ends))


class _Token(NamedTuple):
    key: str  # its stem, with "not_" in front when negated
    start: int  # where it sits in the original text
    end: int
    negated_from: int  # where the negating word starts in the original text, or -1


class _Negation(NamedTuple):
    """A negating word ("not", "isn't", "less", "far from", "rather than") and the words it turns
    around."""

    start: int  # where the negating word starts in the original text
    words_from: int  # where the words it turns around may start (just after it)
    end: int  # where the last word it turns around ends


class _Scan(NamedTuple):
    tokens: list[_Token]
    negations: list[_Negation]
    less_so: list[tuple[int, int]]  # each "less so", in the original text


def _scan(text: str, normal: _Normal | None = None) -> _Scan:
    """Content-word tokens of `text`, with negation marked in the key, and where negations reach."""
    normal = normal or _normalise(text)
    words = [(m.group(), *normal.span(*m.span())) for m in _TOKEN.finditer(normal.text)]
    tokens: list[_Token] = []
    negations: list[_Negation] = []
    less_so: list[tuple[int, int]] = []
    reach = 0
    for number, (word, start, end) in enumerate(words):
        following = words[number + 1][0] if number + 1 < len(words) else ""
        if not word[0].isalnum() or word in _SCOPE_BREAKS:
            reach = 0
            continue
        if word == "less" and following == "so":
            less_so.append((start, words[number + 1][2]))
            reach = 0
            continue
        negates = word in _NEGATORS or word.endswith("n't") or (word, following) in _NEGATING_PAIRS
        if negates or word in _WEAKENERS:
            reach = _NEGATION_REACH if negates else _WEAKENING_REACH
            negations.append(_Negation(start, end, end))
            continue
        if reach and word in _NOT_NEGATING and negations[-1].words_from == negations[-1].end:
            reach = 0  # "not only": nothing turned around after all
            negations.pop()
            continue
        if reach:
            negations[-1] = negations[-1]._replace(end=end)
        if word in _STOPWORDS or len(word) < 3 and not word.isdigit():
            continue
        key = stem(word)
        if reach:
            tokens.append(_Token("not_" + key, start, end, negations[-1].start))
            reach -= 1
        else:
            tokens.append(_Token(key, start, end, -1))
    return _Scan(tokens, negations, less_so)


def _tokens(text: str, normal: _Normal | None = None) -> list[_Token]:
    """Content-word tokens of `text`, with negation marked in the key."""
    return _scan(text, normal).tokens


def _keys(text: str) -> set[str]:
    return {t.key for t in _tokens(text)}


_COMMON_KEYS = frozenset(stem(word) for word in _COMMON)


def _similar(a: str, b: str) -> bool:
    """Stems that are the same word in another form ("parent" / "parental")."""
    if a == b:
        return True
    if a.startswith("not_") != b.startswith("not_"):
        return False
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 3


# --- Framework side, worked out once ------------------------------------------------------------


class _Qualifier(NamedTuple):
    tier_index: int
    phrase: str  # normalised, e.g. "not yet", "across the school"
    pattern: re.Pattern[str]


class _StatementIndex:
    __slots__ = ("weights", "lookups")

    def __init__(self, weights: dict[str, tuple[float, ...]]) -> None:
        # stem -> weight per tier (0 where the tier's descriptor lacks it)
        self.weights = weights
        # a leader's stem -> the weights of the same or a kindred stem, None when none (filled
        # lazily)
        self.lookups: dict[str, tuple[float, ...] | None] = {}

    def lookup(self, key: str) -> tuple[float, ...] | None:
        if key not in self.lookups:
            if len(self.lookups) > _LOOKUPS_KEPT:
                self.lookups.clear()
            found = self.weights.get(key)
            if found is None:
                found = next((w for k, w in self.weights.items() if _similar(k, key)), None)
            self.lookups[key] = found
        return self.lookups[key]


class _Index(NamedTuple):
    qualifiers: tuple[_Qualifier, ...]
    statements: dict[str, _StatementIndex]
    # case study id -> (theme -> stems), and the summary's stems
    themes: dict[str, dict[str, frozenset[str]]]
    summaries: dict[str, frozenset[str]]
    tags: dict[str, frozenset[str]]  # statement id -> stems of its tags, one key per tag word
    tier_count: int


_CACHE: dict[int, tuple[Framework, _Index]] = {}
_LOOKUPS_KEPT = 5000
_CACHE_SIZE = 4


def _index(framework: Framework) -> _Index:
    cached = _CACHE.get(id(framework))
    if cached is not None and cached[0] is framework:
        return cached[1]
    index = _build_index(framework)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(framework)] = (framework, index)
    return index


def _build_index(framework: Framework) -> _Index:
    qualifiers = []
    for tier in framework.tiers:
        for word in tier.qualifiers:
            phrase = _normalise(word).text.strip()
            if not phrase:
                continue
            # Single words match their forms too ("consistently" finds "consistent").
            body = r"\w*" if " " not in phrase and len(phrase) >= 6 else ""
            stemmed = stem(phrase) if " " not in phrase and len(phrase) >= 6 else phrase
            pattern = re.compile(rf"(?<![\w']){re.escape(stemmed)}{body}(?![\w'])")
            qualifiers.append(_Qualifier(tier.index, phrase, pattern))

    statements = {}
    tier_count = len(framework.tiers)
    for statement in framework.statements:
        per_tier = [
            _keys(statement.descriptors.get(t.id) or "")
            if statement.descriptors.get(t.id)
            else set()
            for t in framework.tiers
        ]
        weights: dict[str, tuple[float, ...]] = {}
        for key in sorted(set().union(*per_tier)):
            holders = [key in keys for keys in per_tier]
            count = sum(holders)
            # A word one tier uses tells the most; one every tier uses tells nothing (but is kept,
            # so that "parents" is not taken for its cousin "parental").
            weight = 0.0 if count == tier_count else 1.0 if count == 1 else 0.5
            weights[key] = tuple(weight if held else 0.0 for held in holders)
        statements[statement.id] = _StatementIndex(weights)

    themes = {
        case.id: {theme: frozenset(_keys(theme)) for theme in case.themes}
        for case in framework.case_studies
    }
    summaries = {
        case.id: frozenset(_keys(case.title + ". " + case.summary))
        for case in framework.case_studies
    }
    tags = {s.id: frozenset(k for tag in s.tags for k in _keys(tag)) for s in framework.statements}
    return _Index(tuple(qualifiers), statements, themes, summaries, tags, tier_count)


# --- Closest tier -------------------------------------------------------------------------------

_QUALIFIER_WEIGHT = 1.5
_QUALIFIER_REPEATS = 2  # "some ... some ... some" counts twice at most
_HINT_WORDS = 6
_MIN_SCORE = 2.0  # below this the words say too little to hint at anything
_MIN_LEAD = 1.0  # and the best tier must stand clear of the next


class _Sign(NamedTuple):
    """A qualifier as the leader used it, and the tiers it is a sign of (sharing its weight)."""

    tiers: tuple[int, ...]
    phrase: str  # what repeats are counted by: "consistently", "not consistently", "less so"
    start: int  # where it sits in the original text
    end: int


class _Signs(NamedTuple):
    signs: list[_Sign]
    covered: list[tuple[int, int]]  # stretches whose plain words the signs already account for
    # a negated word inside a negated qualifier (its start) -> the tiers it must not count for
    barred: dict[int, frozenset[int]]


_SENTENCE_END = re.compile(r"[.!?;]")


def _signs(
    index: _Index, statement_index: _StatementIndex, text: str, normal: _Normal, scan: _Scan
) -> _Signs:
    """The tier qualifiers in one text, read with what is around them.

    - A qualifier followed by one of a higher tier is one phrase, read as the first's: "more
      consistent" and "increasingly embedded" are Strengthening Practice, "not yet consistent"
      is "not yet".
    - A negated or weakened qualifier ("not consistently", "less consistent", "isn't embedded",
      "not all") is no sign of its own tier. Where the statement's descriptors use the same words
      negated ("not yet consistently refined"), those descriptor words count; otherwise, straight
      after its negation, it is a sign of the tiers below.
    - "less so" (the question asks "where less so?") is a sign of the tiers below the top, and
      takes back a top-tier qualifier before it in its sentence: "consistent in English, less so
      in maths" is consistent only in part.
    """
    matches: list[tuple[int, int, _Qualifier]] = []
    for qualifier in index.qualifiers:
        for match in qualifier.pattern.finditer(normal.text):
            start, end = normal.span(*match.span())
            if not any(a <= start < b or start <= a < end for a, b, _ in matches):
                matches.append((start, end, qualifier))  # one phrase counts once ("not yet")
    matches.sort(key=lambda m: m[0])
    runs: list[list[tuple[int, int, _Qualifier]]] = []  # qualifiers side by side
    for match in matches:
        if runs and re.fullmatch(r"[\s\-–]+", text[runs[-1][-1][1] : match[0]]):
            runs[-1].append(match)
        else:
            runs.append([match])

    signs: list[_Sign] = []
    plain: list[_Sign] = []  # the signs of qualifiers not negated
    covered: list[tuple[int, int]] = []
    barred: dict[int, frozenset[int]] = {}
    for run in runs:
        start, end = run[0][0], run[-1][1]
        covered.append((start, end))  # "less consistently embedded": nor is it embedded
        negation = next((n for n in scan.negations if n.words_from <= start < n.end), None)
        if negation is None:
            run_signs: list[_Sign] = []
            for a, b, qualifier in run:
                if run_signs and qualifier.tier_index > run_signs[-1].tiers[0]:
                    run_signs[-1] = run_signs[-1]._replace(end=b)  # "more consistent"
                else:
                    run_signs.append(_Sign((qualifier.tier_index,), qualifier.phrase, a, b))
            plain += run_signs
            signs += run_signs
            continue
        named = frozenset(q.tier_index for _, _, q in run)
        negated = [t for t in scan.tokens if t.negated_from >= 0 and start <= t.start < end]
        for token in negated:
            barred[token.start] = named
        if any(
            weight and tier_index not in named
            for token in negated
            for tier_index, weight in enumerate(statement_index.lookup(token.key) or ())
        ):
            continue  # the descriptors' own negated words ("not yet consistently"): counted so
        if any(negation.words_from <= t.start < start for t in scan.tokens):
            continue  # "no single tier is most common": the negation is about something else
        if any(sign.start <= negation.start < sign.end for sign in plain):
            continue  # "not yet in every class": counted once, as "not yet"
        below = tuple(range(min(named)))
        if below:
            phrase = "not " + " ".join(q.phrase for _, _, q in run)
            signs.append(_Sign(below, phrase, negation.start, end))

    top = index.tier_count - 1
    for start, end in scan.less_so:
        earlier = [
            sign
            for sign in plain
            if sign.end <= start and not _SENTENCE_END.search(text[sign.end : start])
        ]
        if earlier and earlier[-1].tiers == (top,) and earlier[-1] in signs:
            signs.remove(earlier[-1])  # "consistent in English, less so in maths"
        signs.append(_Sign(tuple(range(top)), "less so", start, end))
    return _Signs(signs, covered, barred)


def closest_tier(framework: Framework, statement_id: str, texts: Sequence[str]) -> Hint | None:
    """Which tier's descriptor the leader's words sit closest to, or None when unclear."""
    scores, drivers = _tier_scores(framework, statement_id, texts)
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(scores) > 1 else 0.0
    if scores[best] < _MIN_SCORE or scores[best] - runner_up < _MIN_LEAD:
        return None
    tier = framework.tiers[best]
    return Hint(tier.id, tier.name, _driving_words(texts, drivers[best]))


_Driver = tuple[float, int, int, int]  # weight, text number, start, end


def _tier_scores(
    framework: Framework, statement_id: str, texts: Sequence[str]
) -> tuple[list[float], list[list[_Driver]]]:
    """Each tier's score, and per tier the words that counted for it and may be cited."""
    statement = framework.statement(statement_id)
    index = _index(framework)
    statement_index = index.statements[statement.id]
    tier_count = len(framework.tiers)
    scores = [0.0] * tier_count
    drivers: list[list[_Driver]] = [[] for _ in range(tier_count)]
    qualifier_counts: dict[str, int] = {}
    seen: set[str] = set()

    for number, text in enumerate(texts):
        normal = _normalise(text)
        scan = _scan(text, normal)
        signs, covered, barred = _signs(index, statement_index, text, normal, scan)
        for sign in signs:
            count = qualifier_counts.get(sign.phrase, 0)
            qualifier_counts[sign.phrase] = count + 1
            if count >= _QUALIFIER_REPEATS:
                continue
            share = _QUALIFIER_WEIGHT / len(sign.tiers)
            for tier_index in sign.tiers:
                scores[tier_index] += share
                drivers[tier_index].append((share, number, sign.start, sign.end))
        for token in scan.tokens:
            if token.key in seen:
                continue  # each word counts once
            if token.negated_from < 0 and any(a <= token.start < b for a, b in covered):
                continue  # a qualifier is not counted twice
            tier_weights = statement_index.lookup(token.key)
            if tier_weights is None:
                continue
            seen.add(token.key)
            start = token.negated_from if token.negated_from >= 0 else token.start
            # a common word ("parents", "places") counts but is never cited as a sign of a tier
            cite = token.key.removeprefix("not_") not in _COMMON_KEYS
            # a negated qualifier never counts for the tier it names ("not consistently")
            bar = barred.get(token.start, frozenset())
            for tier_index, weight in enumerate(tier_weights):
                if weight and tier_index not in bar:
                    scores[tier_index] += weight
                    if cite:
                        drivers[tier_index].append((weight, number, start, token.end))
    return scores, drivers


def _driving_words(texts: Sequence[str], drivers: list[_Driver]) -> tuple[str, ...]:
    """The words that weighed most, as the leader wrote them, in the order they wrote them."""
    spans = sorted(drivers, key=lambda d: (d[1], d[2], -d[3]))
    kept: list[_Driver] = []
    for weight, number, start, end in spans:
        if any(n == number and a <= start and end <= b for _, n, a, b in kept):
            continue  # "not yet" inside "not yet secure": show the longer once
        kept.append((weight, number, start, end))
    words: dict[str, _Driver] = {}
    for driver in kept:
        _, number, start, end = driver
        word = " ".join(texts[number][start:end].split())
        words.setdefault(word.lower(), driver)
    strongest = sorted(words.items(), key=lambda item: (-item[1][0], item[1][1:]))
    chosen = sorted(strongest[:_HINT_WORDS], key=lambda item: item[1][1:])
    return tuple(" ".join(texts[n][a:b].split()) for _, (_, n, a, b) in chosen)


# --- Case studies -------------------------------------------------------------------------------

_LINK_SCORE = 3.0
_TAG_THEME_SCORE = 2.0
_OWN_THEME_SCORE = 2.5
_OWN_WORD_SCORE = 0.5
_OWN_WORD_LIMIT = 4
# Words every school uses of itself, and words that carry no topic: a reason such as "what you
# said about every and teaching" tells a governor nothing, so these never count as shared words.
_REASON_STOPWORDS = frozenset(
    stem(word)
    for word in _words(
        """
    every each all many much more most some few several other others another any same such whole
    good great strong stronger strongest better best excellent positive clear real really
    new old big small little large high low full fully
    time times day days week weeks weekly term terms termly year years month months today
    feel feels felt say says said tell tells told show shows showed shown see sees saw seen
    look looks looked looking help helps helped helping work works worked working
    do does done doing make makes making take takes took taken give gives gave given
    get gets go goes going went come comes came put try tries tried want wants wanted
    start starts started keep keeps kept lot lots thing things way ways kind kinds part parts
    place places people everyone everybody someone something anything nothing
    share shares shared sharing progress support supports supported supporting
    school schools class classes lesson lessons teacher teachers teaching staff adult adults
    pupil pupils child children student students send family families parent parents carer
    carers learning learner learners
    """
    )
)


def _theme_in(theme_keys: frozenset[str], keys: set[str] | frozenset[str]) -> bool:
    """All of a theme's words are there; of three or more, all but one ("multi-agency work")."""
    needed = len(theme_keys) - 1 if len(theme_keys) >= 3 else len(theme_keys)
    found = sum(1 for t in theme_keys if any(_similar(t, k) for k in keys))
    return bool(theme_keys) and found >= needed


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lower_first(text: str) -> str:
    """'Interventions' -> 'interventions', but 'SEND Information Report' stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _reason(statement: Statement, own: list[str], words: list[str], tagged: list[str]) -> str:
    if own:
        reason = f"It shares your focus on {_join(own)}."
        rest = [t for t in tagged if t not in own]
        if rest:
            reason += f" It also covers {_join(rest[:2])}."
        return reason
    if words:
        reason = f"It picks up what you said about {_join([_lower_first(w) for w in words])}."
        if tagged:
            reason += f" It also covers {_join(tagged[:2])}."
        return reason
    if tagged:
        return f"It covers {_join(tagged[:3])}, which this statement is about."
    return f"It relates to this statement on {_lower_first(statement.short)}."


def suggest_case_studies(
    framework: Framework, statement_id: str, texts: Sequence[str], limit: int = 2
) -> list[tuple[CaseStudy, str]]:
    """Up to `limit` case studies of the statement's own area, best first, each with a reason."""
    statement = framework.statement(statement_id)
    area = framework.area(statement.area_id)
    index = _index(framework)
    tag_keys = index.tags[statement.id]
    said = [(text, [t for t in _tokens(text) if not t.key.startswith("not_")]) for text in texts]
    own_keys = {t.key for _, tokens in said for t in tokens}
    area_keys = _keys(area.short_title)  # "teaching" says nothing about one Teaching case study

    ranked = []
    for order, case in enumerate(area.case_studies):
        linked = statement.id in case.statement_ids
        score = _LINK_SCORE if linked else 0.0
        own_themes, tag_themes = [], []
        for theme, keys in index.themes[case.id].items():
            if _theme_in(keys, own_keys):
                own_themes.append(theme)
                score += _OWN_THEME_SCORE
            elif _theme_in(keys, tag_keys):
                tag_themes.append(theme)
                score += _TAG_THEME_SCORE
        theme_keys = {k for keys in index.themes[case.id].values() for k in keys}
        summary_keys = index.summaries[case.id]

        def wanted(key: str, theme_keys=theme_keys, summary_keys=summary_keys) -> bool:
            return (
                key in summary_keys
                and key not in theme_keys
                and key not in _REASON_STOPWORDS
                and key not in area_keys
                and not key.isdigit()
                and not _common_in_area(index, area.case_studies, key)
            )

        words, count = _shared_words(said, wanted)
        if count < 2:
            words = []  # one shared word is chance, not a reason
        score += _OWN_WORD_SCORE * min(count, _OWN_WORD_LIMIT) if words else 0.0
        if score <= 0:
            continue
        reason = _reason(statement, own_themes, words[:3], tag_themes)
        ranked.append((-score, order, case, reason))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return _distinct([(case, reason) for _, _, case, reason in ranked[:limit]])


def _distinct(found: list[tuple[CaseStudy, str]]) -> list[tuple[CaseStudy, str]]:
    """Two suggestions with the same reason read as a repeat: name what else each covers."""
    reasons = [reason for _, reason in found]
    out = []
    for case, reason in found:
        if reasons.count(reason) > 1:
            others = [t for t in case.themes if _lower_first(t) not in reason]
            if others:
                reason += f" Its other themes include {_join(others[:2])}."
        out.append((case, reason))
    return out


def _shared_words(
    said: Sequence[tuple[str, Sequence[_Token]]], wanted: Callable[[str], bool]
) -> tuple[list[str], int]:
    """The leader's words that pass `wanted` as they wrote them, neighbours joined into phrases
    ("coffee afternoons", "drop-ins"), and how many distinct words that is."""
    phrases: list[str] = []
    seen: set[str] = set()
    for text, tokens in said:
        run: list[_Token] = []
        for token in tokens:
            if token.key in seen or not wanted(token.key):
                if run:
                    phrases.append(text[run[0].start : run[-1].end])
                    run = []
                continue
            if run and not re.fullmatch(r"[\s\-–]+", text[run[-1].end : token.start]):
                phrases.append(text[run[0].start : run[-1].end])
                run = []
            run.append(token)
            seen.add(token.key)
        if run:
            phrases.append(text[run[0].start : run[-1].end])
    return phrases, len(seen)


def _common_in_area(index: _Index, cases: Sequence[CaseStudy], key: str) -> bool:
    """A word most of the area's case studies use ("pupils", "send") says nothing about one."""
    holders = sum(1 for case in cases if key in index.summaries[case.id])
    return len(cases) > 2 and holders * 2 > len(cases)


def tells_apart(
    framework: Framework, statement_id: str, word: str, lower_tier: str, chosen_tier: str
) -> bool:
    """Whether a word the leader used (one of a hint's words) is a sign of `lower_tier` rather
    than `chosen_tier` for this statement: a qualifier read as a sign of tiers below the chosen
    one only ("some", "more consistent", "less consistent"), or a word the lower tier's
    descriptor uses and the chosen tier's does not. Common words never are."""
    index = _index(framework)
    statement_index = index.statements[framework.statement(statement_id).id]
    chosen = framework.tier(chosen_tier).index
    normal = _normalise(word)
    scan = _scan(word, normal)
    signs, covered, barred = _signs(index, statement_index, word, normal, scan)
    if signs:
        return max(signs[0].tiers) < chosen
    lower = framework.tier(lower_tier).index
    tokens = [
        t
        for t in scan.tokens
        if t.negated_from >= 0 or not any(a <= t.start < b for a, b in covered)
    ]
    if not tokens or all(t.key.removeprefix("not_") in _COMMON_KEYS for t in tokens):
        return False
    for token in tokens:
        weights = statement_index.lookup(token.key)
        bar = barred.get(token.start, frozenset())
        if weights and weights[lower] and lower not in bar and not weights[chosen]:
            return True
    return False
