"""What a report says around its tables: its state (provisional or final), title, dates, reviewers, the
sample, key findings per section, a closing judgement per criterion, and small numbers in words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from esi_tui.core.entities import Answer, Case, Inspection
from esi_tui.core.formatting import format_score, plural
from esi_tui.core.questionnaire import Questionnaire

#: change in whole points from the baseline at or above which a criterion's performance "greatly improved"
GREATLY = 20
#: ...and reaching at least this score: the seed calls B2 64% -> 90% "greatly improved", B1 54% -> 83% "improved"
GREATLY_REACHES = 90
#: change in whole points within which performance is "similar" (else improved or worse)
SIMILAR = 5
_YEAR = re.compile(r"\s*\((?:19|20)\d\d\)\s*$")


def in_cases(positive: int, counted: int) -> str:
    """Where a finding held, in words a reader expects for small numbers: 'in both relevant cases',
    'in neither of the two relevant cases', 'in the one relevant case', 'in 3 of the 5 relevant cases'."""
    if counted == 1:
        return "in the one relevant case" if positive else "in none of the relevant cases"
    if counted == 2:
        return {2: "in both relevant cases", 1: "in one of the two relevant cases",
                0: "in neither of the two relevant cases"}[positive]
    if positive == counted:
        return f"in all {counted} relevant cases"
    if positive == 0:
        return f"in none of the {counted} relevant cases"
    return f"in {positive} of the {counted} relevant cases"


def report_title(inspection: Inspection, questionnaire: Questionnaire) -> str:
    """The inspection's own title; where it has none of its own (the questionnaire's), the questionnaire's
    name without its year, for the area: never the questionnaire's '(2005)' on a later inspection."""
    if inspection.title and inspection.title != questionnaire.title:
        return inspection.title
    return f"{_YEAR.sub('', questionnaire.title)}: {inspection.area}"


def day(timestamp: str) -> str:
    """'2026-01-10T09:30:00Z' as '10 January 2026' (the date part only), or ''."""
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)", timestamp or "")
    if not match:
        return ""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
    year, month, date = match.groups()
    return f"{int(date)} {months[int(month) - 1]} {year}"


def period_text(inspection: Inspection, answers: Iterable[Answer]) -> str:
    """When the cases were read: 'case files read 10 January 2026 to 14 January 2026 (set up 8 January
    2026)', from the answers' own times."""
    days = sorted(a.at for a in answers if a.at)
    created = day(inspection.created)
    setup = f"set up {created}" if created else ""
    if not days:
        return f"{setup}; no case file read yet" if setup else "no case file read yet"
    first, last = day(days[0]), day(days[-1])
    read = f"case files read {first}" if first == last else f"case files read {first} to {last}"
    return f"{read} ({setup})" if setup else read


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reviewers_text(answers: Iterable[Answer]) -> str:
    """Who answered, in order of name: 'ann, bob and cat'."""
    names = sorted({a.reviewer for a in answers if a.reviewer})
    return and_list(names) if names else "none yet"


def sample_text(questionnaire: Questionnaire, cases: Iterable[Case]) -> str:
    """'30 case files examined: risk of harm 8 low, 12 medium, 9 high and 1 very high; 9 with child
    protection issues; MAPPA level 8 at 1 and 2 at 2; ...': the sample's make-up by each attribute."""
    cases = list(cases)
    parts = []
    for attribute in questionnaire.attributes.values():
        name = attribute.label.split(" (")[0]
        name = name[0].lower() + name[1:] if name[1:2].islower() else name
        default = attribute.default_value()
        values = Counter(case.attributes.get(attribute.name, default) for case in cases)
        if attribute.type == "bool":
            if values[True]:
                parts.append(f"{values[True]} with {name}")
            continue
        ordered = sorted(values.items(), key=lambda vc: _order(attribute, vc[0]))
        if attribute.type == "int":
            listed = [f"{count} at {value}" for value, count in ordered if value != default and count]
        else:
            listed = [f"{count} {attribute.value_label(value)}" for value, count in ordered if count]
        if listed:
            parts.append(f"{name} {and_list(listed)}")
    head = f"{plural(len(cases), 'case file')} examined"
    return f"{head}: {'; '.join(parts)}" if parts else head


def _order(attribute, value: object) -> tuple:
    """Values in the questionnaire's order (choices), else numerically."""
    if attribute.values and value in attribute.values:
        return (0, attribute.values.index(value))
    return (1, value if isinstance(value, int) else 0)


def status_text(sampled: int, complete: int, open_disagreements: int) -> tuple[bool, str]:
    """(provisional, the line saying so): provisional until every sampled case is complete and every
    disagreement moderated."""
    if sampled and complete >= sampled and not open_disagreements:
        return False, f"Final: all {plural(sampled, 'sampled case')} complete and every disagreement moderated."
    parts = [f"{complete} of {plural(sampled, 'sampled case')} complete"]
    if open_disagreements:
        parts.append(f"{plural(open_disagreements, 'disagreement')} between reviewers not yet moderated")
    return True, ("PROVISIONAL: " + "; ".join(parts) + ". The figures will change until every sampled case is "
                  "complete and every disagreement moderated.")


def judgement(change: int | None, comparable: bool, baseline: float | None) -> str:
    """The closing words for a criterion against the original inspection."""
    if not comparable:
        return "no direct comparison possible"
    if baseline is None or change is None:
        return "no direct comparison possible"
    if change >= GREATLY and baseline + change >= GREATLY_REACHES:
        return "greatly improved performance"
    if change >= SIMILAR:
        return "improved performance"
    if change > -SIMILAR:
        return "performance similar to the original inspection"
    if change > -GREATLY:
        return "worse performance"
    return "much worse performance"


def closing_line(score: float | None, baseline: float | None, change: int | None, comparable: bool,
                 counted: int) -> str:
    """'We assessed the area as demonstrating greatly improved performance in relation to the criterion
    (original inspection 64%, now 90%).' (the seed's closing line), or why no such line can be written."""
    if counted == 0:
        return "No relevant case has been answered yet: no judgement on the criterion is possible."
    words = judgement(change, comparable, baseline)
    if words == "no direct comparison possible":
        why = ("different questions were asked at the original inspection" if not comparable
               else "the original inspection has no score for it")
        return (f"No direct comparison with the original inspection is possible ({why}); "
                f"the criterion scores {format_score(score)} now.")
    return (f"We assessed the area as demonstrating {words} in relation to the criterion "
            f"(original inspection {format_score(baseline)}, now {format_score(score)}).")


def key_finding(code: str, title: str, shown: str, rating: str | None, closing_words: str,
                weakest: tuple[str, str] | None) -> str:
    """One line of a section's key findings: the criterion's score, rating, judgement and weakest question."""
    text = f"{code} {title}: {shown}" + (f", rated {rating}" if rating else "") + f"; {closing_words}"
    if weakest:
        text += f". Least often met: {weakest[0]} ({weakest[1]})"
    return text + "."
