"""An article's situations: the relations its sentences tell, dated, attributed and merged.

    sentences (the events stage's cutting) ──► slots and cue matches (rules.py)
              ──► roles checked by type; a state's forces abroad stand for the state ("French troops in Mali"),
                  a capital or "X's government" for the state ("Kinshasa", "Goita's government")
              ──► dates: "since"/"depuis" starts, "until"/"jusqu'à" ends, a bare date goes with the cue's phase;
                  a date goes with the sentence's cue nearest to it, a "since" date with the cue before it
              ──► who says so (the events stage's claim reading) and whether it is hedged
              ──► one situation per (relation, subject, object) (merge.py)

A cue told without its object ("French troops … completed their withdrawal") ends or keeps the same
subject's relation named elsewhere in the sentence, else in the article when that names only one; a
person taking power or heading a junta without the country named leads the state the knowledge base
places them in. A beginning still to come ("will be redeployed") tells nothing yet.
Dates are never invented: an unknown start or end stays null with precision "unresolved".
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from ..events.claims import read_claim, token_at
from ..events.coder import Mentions, Sentence
from ..events.stage import split_sentences
from ..model import Document, Entity, Evidence, Situation, TimeExpr
from .merge import Told, merge
from .rules import PLACE_RELATIONS, Finding, Slot, Template, eligible_object, eligible_subject, find, slots_of

if TYPE_CHECKING:
    from ..knowledge.actors import KnowledgeBase

log = logging.getLogger(__name__)

_SINCE = re.compile(r"\b(?:since|from|between|starting(?: in)?|as of|beginning(?: in)?|depuis|dès|à partir de|entre)\s*"
                    r"(?:(?:the|le|la|l['’]|late|early|mid-?|fin|début|end of|de|d['’]|at least|au moins|coup d['’]état|coup|putsch|of|in|du)\s*){0,3}$", re.I)
_UNTIL = re.compile(r"\b(?:until|till|through|up to|by|by the end of|jusqu['’](?:à|au|en)|jusqu['’])\s*"
                    r"(?:the\s+|le\s+|la\s+|l['’]|late\s+|early\s+|fin\s+)?$", re.I)
# "from 2013 to 2022", "between 2013 and 2022", "de 2013 à 2022": the second date ends what the first starts
_RANGE = re.compile(r"\s*(?:to|and|until|à|au|et|-|–)\s*(?:the\s+|le\s+|la\s+)?", re.I)
_FUTURE = re.compile(r"\b(?:will|would|shall|plans? to|planning to|set to|is to|are to|going to|expected to|"
                     r"prepar\w+ to|about to|poised to|due to|has until|have until|"
                     r"va|vont|doit|doivent|devrait|devraient|s['’]apprêt\w*|prépar\w+ à|pour)\b", re.I)
# A presence begun, told in the present perfect or with "now"/"still", holds yet; a bare past
# ("first sent troops in 2013") does not say. A town taken, a break, a designation or a membership holds
# until the text says otherwise.
_STILL = re.compile(r"\b(?:has|have|is|are|now|still|remains?|a|ont|est|sont|toujours|désormais|depuis|since)\b",
                    re.I)
_NEGATION = re.compile(r"\b(?:not|n['’]t|never|no longer|ne|n['’]|pas|jamais|denied|denies|nié|dément\w*)\b", re.I)


def extract(doc: Document, kb: KnowledgeBase) -> list[Situation]:
    """The document's situations in order of first telling."""
    mentions = Mentions.of(doc)
    language = doc.article.language
    told: list[Told] = []
    loose: list[tuple[Finding, Sentence, dict[str, object]]] = []
    paragraph: list[Sentence] = []
    for sentence in split_sentences(doc):
        if paragraph and paragraph[-1].paragraph != sentence.paragraph:
            paragraph = []
        slots = slots_of(sentence.start, sentence.end, mentions.actors, mentions.places)
        slots = _with_countries(slots, sentence, mentions, kb)
        if slots:
            template = Template(sentence.text, sentence.start, slots)
            findings = [f for f in find(template, language) if _affirmed(f, doc.article.body)]
            ending = {f.relation for f in findings if f.phase == "end"}
            for finding in findings:
                if finding.phase == "start" and _to_come(finding, doc.article.body):
                    continue  # "will be redeployed to Niger": not there yet
                context = _context(finding, sentence, mentions, paragraph, doc, finding.relation in ending,
                                   [(f.cue_start, f.cue_end) for f in findings])
                if finding.objects:
                    told += _tell(finding, finding.objects, context, kb)
                else:
                    loose.append((finding, sentence, context))
        paragraph.append(sentence)
    for finding, sentence, context in loose:
        told += _tell(finding, _objects_for(finding, sentence, told) or _ruled(finding, kb, doc.article.body),
                      context, kb)
    return merge(told)


_NEAR = 80  # characters
_HIS_GOVERNMENT = re.compile(r"['’]s\s+(?:military\s+|transitional\s+)?(?:government|junta|regime|administration)\b",
                             re.I)
_THE_COUNTRY = re.compile(r"\b(?:the country|this country|the West African (?:nation|country)|le pays|ce pays)\b", re.I)


def _with_countries(slots: list[Slot], sentence: Sentence, mentions: Mentions, kb: KnowledgeBase) -> list[Slot]:
    """Slots completed for reading relations: a people's adjective stands for its state as an actor
    ("the Russian presence"), and "the country" / "le pays" for the country the article has named most."""
    for slot in slots:
        if slot.entity is None and slot.demonym and slot.place is not None and slot.place.kind == "country":
            state = kb.get((slot.place.country or "").lower())
            if state is not None and state.type == "state":
                slot.entity = Entity(name=state.name, type="state", id=state.id, country=slot.place.country)
        elif slot.entity is not None and slot.entity.type == "person" and slot.entity.country:
            # "Goita's government" / "la junte de Goïta" is the state the person rules, as a party
            m = _HIS_GOVERNMENT.match(sentence.text, slot.end - sentence.start)
            state = kb.get(slot.entity.country.lower()) if m else None
            if m and state is not None and state.type == "state":
                slot.entity = Entity(name=state.name, type="state", id=state.id, country=state.country)
                slot.end = sentence.start + m.end()
        elif slot.place is None and slot.entity is not None and slot.entity.type == "state" and slot.entity.country:
            # a state named where the linker saw only the actor is still its country as a place ("Niger
            # hosts French soldiers"), when the article names that country as a place elsewhere
            slot.place = next((p for _a, _b, p, _d in mentions.places
                               if p.kind == "country" and p.country == slot.entity.country), None)
        elif slot.entity is None and slot.place is not None and slot.place.kind not in ("country", None):
            # a capital may stand for its state ("Kinshasa broke off relations with Kigali"); as the
            # object of a presence or of control it stays the place (eligible_object reads the place)
            state = kb.by_metonym(sentence.text[slot.start - sentence.start:slot.end - sentence.start])
            if state is not None and state.type == "state" and state.country == slot.place.country:
                slot.entity = Entity(name=state.name, type="state", id=state.id, country=state.country)
    extra = []
    for m in _THE_COUNTRY.finditer(sentence.text):
        a, b = sentence.start + m.start(), sentence.start + m.end()
        if any(s.start < b and a < s.end for s in slots):
            continue
        named = [p.name for lo, _hi, p, _d in mentions.places if lo < a and p.kind == "country"]
        if named:  # the country the article has named most so far (the first named on a tie)
            top = max(named, key=named.count)
            extra.append(Slot(a, b, place=next(p for _lo, _hi, p, _d in mentions.places if p.name == top)))
    return sorted([*slots, *extra], key=lambda s: s.start) if extra else slots


def _to_come(finding: Finding, body: str) -> bool:
    """True when the cue tells a beginning still to come ("doit être redéployée au Niger")."""
    lo = max((s.end for s in finding.subjects), default=finding.cue_start)
    return bool(_FUTURE.search(body[lo:finding.cue_end]))


def _affirmed(finding: Finding, body: str) -> bool:
    """A cue under a negation or a denial ("did not withdraw", "n'a pas quitté") tells nothing."""
    lo = max((s.end for s in finding.subjects), default=finding.cue_start)
    return not _NEGATION.search(body[lo:finding.cue_end])


def _context(finding: Finding, sentence: Sentence, mentions: Mentions, paragraph: list[Sentence],
             doc: Document, ending: bool = False, cues: list[tuple[int, int]] | None = None) -> dict[str, object]:
    """Dates, claim and hedging of one finding; ``ending``: the sentence also ends the relation, so a
    bare date in it is the end's ("deployed there since 2013, they left on Friday"); ``cues``: the spans
    of every cue the sentence matched."""
    body = doc.article.body
    # a date far from the cue belongs to another relation of the sentence ("the war, since 2023, between
    # the army of X and …" dates the war, not X's command), and so does one nearer another cue ("entered
    # the town on Saturday, … a year after the rebels overran it")
    times = [t for t in mentions.times if sentence.start <= t.start < sentence.end
             and finding.cue_start - _NEAR <= t.start <= finding.cue_end + _NEAR
             and _owns(t, (finding.cue_start, finding.cue_end), cues or [], body)]
    lo = max((s.end for s in finding.subjects), default=finding.cue_start)
    future = finding.phase == "end" and bool(_FUTURE.search(body[lo:finding.cue_end]))
    start, end = _dates(finding, times, body, future or (ending and finding.phase == "start"))
    if finding.phase == "end":
        ongoing: bool | None = future
    elif finding.phase == "start" and finding.relation == "present_in":
        ongoing = True if _STILL.search(body[finding.cue_start:finding.cue_end]) else None
    else:
        ongoing = True
    trigger = _trigger(sentence, lo, finding.cue_end, body)
    try:
        claim = read_claim(sentence, trigger, mentions, paragraph)
        claimed_by, hedged = claim.claimed_by, claim.hedged
    except Exception:  # an unforeseen parse: the relation stands without attribution
        log.debug("claim reading failed at %d", sentence.start, exc_info=True)
        claimed_by, hedged = None, False
    if claimed_by is None:
        claimed_by = next((e.claimed_by for e in doc.events
                           if e.claimed_by and e.start is not None and sentence.start <= e.start < sentence.end), None)
    return {"start": start, "end": end, "ongoing": ongoing, "claimed_by": claimed_by, "hedged": hedged,
            "evidence": Evidence(sentence.text, sentence.start, sentence.end)}


def _gap(t: TimeExpr, lo: int, hi: int) -> int:
    """Characters between a time mention and a cue's span (0 when they overlap)."""
    return max(0, lo - t.end, t.start - hi)


def _owns(t: TimeExpr, cue: tuple[int, int], cues: list[tuple[int, int]], body: str) -> bool:
    """Whether a time of the sentence dates this cue rather than another: a "since"/"until" date dates
    the nearest cue told before it ("has been in Mali since at least June 6, the day Wagner announced
    its exit"), a bare date the nearest cue either side."""
    before = body[max(0, t.start - 30):t.start]
    if _SINCE.search(before) or _UNTIL.search(before):
        earlier = [c for c in cues if c[1] <= t.start]
        if earlier:
            return cue[1] == max(c[1] for c in earlier)
    return all(_gap(t, *cue) <= _gap(t, a, b) for a, b in cues)


def _trigger(sentence: Sentence, lo: int, hi: int, body: str):  # type: ignore[no-untyped-def]
    """The first word after the subject: the cue's verb or noun, near enough for scope questions."""
    m = re.search(r"\w", body[lo:hi])
    return token_at(sentence, lo + m.start()) if m else None


def _dates(finding: Finding, times: list[TimeExpr], body: str,
           future: bool = False) -> tuple[TimeExpr | None, TimeExpr | None]:
    """Start and end of a finding from the sentence's times: marked ones by their marker, a bare one by
    the cue's phase (the nearest to the cue); an end still to come takes only a marked date ("by")."""
    start = end = None
    bare: list[TimeExpr] = []
    previous: TimeExpr | None = None
    for t in times:
        before = body[max(0, t.start - 30):t.start]
        after_start = previous is not None and previous is start and _RANGE.fullmatch(body[previous.end:t.start])
        previous = t
        lead = body[t.start:t.end].lower()
        if t.end_value:  # "from 2013 to 2022", "2013-2022"
            start = start or t
            end = end or TimeExpr(t.text, t.end_value, t.precision, t.start, t.end)
        elif _SINCE.search(before) or lead.startswith(("since", "depuis")):
            start = start or t
        elif _UNTIL.search(before) or lead.startswith(("until", "jusqu")) or after_start:
            end = end or t
        else:
            bare.append(t)
    if bare and finding.phase in ("start", "end") and not future:
        nearest = min(bare, key=lambda t: min(abs(t.start - finding.cue_end), abs(t.start - finding.cue_start)))
        if finding.phase == "start" and start is None:
            start = nearest
        elif finding.phase == "end" and end is None:
            end = nearest
    return start, end


def _objects_for(finding: Finding, sentence: Sentence, told: list[Told]) -> list[tuple[str, str | None, str | None]]:
    """The objects an object-less cue speaks of: the same subject's relation in the sentence, else the
    article's only one."""
    names = {s.entity.name for s in finding.subjects if s.entity is not None}
    same = [t for t in told if t.relation == finding.relation and (t.subject[0] in names or _by_parent(t, finding))]
    here = [t for t in same if t.evidence.start == sentence.start]
    pick = here or same
    objects = list(dict.fromkeys((*t.object, t.country) for t in pick))
    return objects if len(objects) == 1 or here else []


def _ruled(finding: Finding, kb: KnowledgeBase, body: str) -> list[tuple[str, str | None, str | None]]:
    """What a person said to take power, to head a junta or to be "President" without naming the country
    ("Traore took power in a coup in September 2022") leads: the state the knowledge base places the
    person in — its armed forces for an "army chief"."""
    if finding.relation != "leads" or len(finding.subjects) != 1:
        return []
    entity = finding.subjects[0].entity
    if entity is None or entity.type != "person" or not entity.country:
        return []
    code = entity.country.lower()
    if _ARMY_TITLE.search(body[finding.cue_start:finding.cue_end]):
        code += ".mil"
    actor = kb.get(code)
    return [(actor.name, actor.id, actor.country)] if actor is not None and actor.type in ("state", "military") else []


_ARMY_TITLE = re.compile(r"\b(?:army|military|armée|état-major)\b", re.I)


def _by_parent(t: Told, finding: Finding) -> bool:
    """A relation already told of a state whose forces this cue names (the forces were mapped to it)."""
    return any(s.entity is not None and s.entity.type == "military" and t.subject[1]
               and (s.entity.id or "").split(".")[0] == t.subject[1] for s in finding.subjects)


def _tell(finding: Finding, objects: list, context: dict[str, object], kb: KnowledgeBase) -> list[Told]:  # type: ignore[type-arg]
    out = []
    for subj in finding.subjects:
        if not eligible_subject(finding.relation, subj):
            continue
        for obj in objects:
            if isinstance(obj, Slot):
                if not eligible_object(finding.relation, obj):
                    continue
                target = _object_name(finding.relation, obj)
                country = obj.place.country if finding.relation in PLACE_RELATIONS and obj.place else (
                    obj.entity.country if obj.entity else None)
            else:
                target, country = (obj[0], obj[1]), obj[2]
            subject = _subject_name(subj, country, kb)
            relation = _relation(finding, subj, obj)
            if relation == "present_in" and isinstance(obj, Slot) and obj.place is not None \
                    and obj.place.kind == "country" and subj.entity is not None and subj.entity.country == country:
                continue  # a party's presence in its own country says nothing ("stationed in the country")
            if isinstance(obj, Slot) and obj.entity is not None and relation not in PLACE_RELATIONS:
                target = _subject_name(obj, subj.entity.country if subj.entity else None, kb)
            if subject[0] == target[0]:
                continue
            out.append(Told(relation, subject, target, finding.phase, context["start"], context["end"],
                             context["ongoing"], context["evidence"], context["claimed_by"],  # type: ignore[arg-type]
                             bool(context["hedged"]), country,
                             isinstance(obj, Slot) and obj.place is not None and obj.place.kind == "country"))
    return out


def _relation(finding: Finding, subj: Slot, obj: object) -> str:
    """A state's own forces leaving a town of their country give up control of it ("the army withdrew
    from Wad Madani"); leaving a country, or a foreign force leaving, ends a presence."""
    if (finding.relation == "present_in" and finding.phase == "end" and isinstance(obj, Slot)
            and obj.place is not None and obj.place.kind not in ("country", None) and subj.entity is not None
            and subj.entity.type in ("military", "government", "state")
            and subj.entity.country and subj.entity.country == obj.place.country):
        return "controls"
    return finding.relation


def _object_name(relation: str, slot: Slot) -> tuple[str, str | None]:
    if relation in PLACE_RELATIONS and slot.place is not None:
        return slot.place.name, slot.place.id
    assert slot.entity is not None
    return slot.entity.name, slot.entity.id


def _subject_name(slot: Slot, where: str | None, kb: KnowledgeBase) -> tuple[str, str | None]:
    """A party's canonical name; a state's regular forces abroad, or dealing with another country's
    party, stand for the state ("French troops in Mali": France is present in Mali; "North Korean soldiers
    fought alongside Russian forces": North Korea allied with Russia), its forces at home stay
    themselves (an army holding a town in a civil war is a party apart from the state)."""
    entity = slot.entity
    assert entity is not None
    if entity.type == "military" and entity.id and where and entity.country and where != entity.country:
        actor = kb.get(entity.id)
        parent = kb.get(actor.parent) if actor is not None and actor.parent else None
        if parent is not None and parent.type == "state":
            return parent.name, parent.id
    return entity.name, entity.id
