"""Read a questionnaire TOML file, reporting every problem at once (one line each)."""

from __future__ import annotations

import re
from pathlib import Path

from esi_tui.core.checks import ConditionContext, is_int, join, kind, label, shown
from esi_tui.core.conditions import Condition
from esi_tui.core.keys import NAVIGATION_KEYS, key_name
from esi_tui.core.questionnaire import (
    ATTRIBUTE_TYPES,
    COUNTS_AS,
    Attribute,
    Criterion,
    Option,
    Question,
    Questionnaire,
    Scale,
    Section,
)
from esi_tui.core.rating_checks import RatingChecks
from esi_tui.core.toml_text import TomlProblem, parse_toml

TOP_KEYS = {"id", "title", "version", "description", "conditions", "attributes", "scales",
            "sections", "bands", "criteria", "rating", "overall_bands"}
ATTRIBUTE_KEYS = {"name", "label", "type", "values", "min", "max", "default"}
SCALE_KEYS = {"id", "label", "options"}
OPTION_KEYS = {"key", "label", "hotkey", "counts_as"}
SECTION_KEYS = {"code", "title"}
CRITERION_KEYS = {"code", "title", "section", "description", "questions"}
QUESTION_KEYS = {"id", "text", "guidance", "scale", "applies_when", "required", "finding", "scored",
                 "prompt_of"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class QuestionnaireError(Exception):
    """A questionnaire file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems")
        self.problems = problems


def content_hash(text: str) -> str:
    """The hash that tells whether a questionnaire file changed since an inspection was made."""
    import hashlib  # here, not at import: opening the app on a stored inspection never hashes

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def load_file(path: str | Path) -> Questionnaire:
    """Load and check a questionnaire file; raises QuestionnaireError naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise QuestionnaireError(
            [f"{path}:{line}:{col}: cannot read: not UTF-8 text ({exc.reason}, byte 0x{raw[exc.start]:02x})"]
        ) from None
    # the same newline translation as Path.read_text, so the content hash does not change
    return loads(text.replace("\r\n", "\n").replace("\r", "\n"), name=str(path))


def validate_file(path: str | Path) -> list[str]:
    """Every problem of a questionnaire file, one line each; empty when it is valid."""
    try:
        load_file(path)
    except QuestionnaireError as exc:
        return exc.problems
    return []


def loads(text: str, name: str = "<questionnaire>") -> Questionnaire:
    """Parse questionnaire TOML text; raises QuestionnaireError with every problem."""
    try:
        data = parse_toml(text, name)
    except TomlProblem as exc:
        raise QuestionnaireError([str(exc)]) from None
    checker = _Checker(name)
    questionnaire = None
    try:
        questionnaire = checker.build(data, text)
    except RecursionError:
        checker.problem("", "conditions nested too deeply")
    if checker.problems or questionnaire is None:
        raise QuestionnaireError(checker.problems or [f"{name}: not a questionnaire"])
    return questionnaire


class _Checker(RatingChecks):
    """Builds the model while collecting problems instead of stopping at the first."""

    def build(self, data: dict, text: str) -> Questionnaire | None:
        self.unknown_keys(data, TOP_KEYS, "")
        qid = self.string(data, "id", "")
        if qid and not ID_PATTERN.match(qid):
            self.problem("id", f"{qid!r} may only hold letters, digits, '.', '_' and '-'")
        title = self.string(data, "title", "")
        version = data.get("version")
        if version is None:
            self.problem("version", "missing field")
        elif not isinstance(version, (str, int, float)) or isinstance(version, bool):
            self.problem("version", f"must be a string, not {kind(version)}")
        elif isinstance(version, str) and not version.strip():
            self.problem("version", "must not be empty")
        description = self.string(data, "description", "", required=False)
        attributes, declared_attributes = self.attributes(data)
        scales, declared_scales = self.scales(data)
        sections = self.sections(data)
        start = len(self.problems)
        bands = self.bands(data)
        rating = self.rating(data)
        overall = self.overall_bands(data)
        rating_ok = len(self.problems) == start
        named_raw = data.get("conditions", {})
        if not isinstance(named_raw, dict):
            self.problem("conditions", f"must be a table of named conditions, not {kind(named_raw)}")
            named_raw = {}
        criteria_raw = self.items(data, "criteria", "criteria")
        question_ids, scale_of = _question_order(criteria_raw)
        context = ConditionContext(attributes, declared_attributes, scales, question_ids, set(named_raw),
                                   scale_of)
        named: dict[str, Condition] = {}
        for cname, raw in named_raw.items():
            cond = self.condition(raw, f"conditions {shown(cname)}", context)
            if cond is not None:
                named[cname] = cond
        criteria = self.criteria(criteria_raw, declared_scales, sections, context)
        self.cycles(named, criteria)
        self.prompts(criteria)
        if rating_ok:
            self.overall_needs(bands, overall, criteria)
        if self.problems:
            return None
        return Questionnaire(
            id=qid, title=title, version=str(version), description=description, attributes=attributes,
            scales=scales, sections=sections, criteria=tuple(criteria), bands=bands, conditions=named,
            source=text, content_hash=content_hash(text), rating=rating, overall_bands=overall,
        )

    def attributes(self, data: dict) -> tuple[dict[str, Attribute], set[str]]:
        """The valid attributes, and the names of every attribute declared (valid or not)."""
        result: dict[str, Attribute] = {}
        declared: set[str] = set()
        for index, raw in enumerate(self.items(data, "attributes", "attributes", required=False), 1):
            start = len(self.problems)
            path = label("attributes", raw.get("name"), index)
            self.unknown_keys(raw, ATTRIBUTE_KEYS, path)
            name = self.string(raw, "name", path)
            title = self.string(raw, "label", path, required=False) or name
            type_ = self.string(raw, "type", path)
            if type_ and type_ not in ATTRIBUTE_TYPES:
                self.problem(join(path, "type"), f"unknown type {type_!r} (choice, bool or int)")
            values: tuple[str, ...] = ()
            if type_ == "choice":
                raw_values = raw.get("values")
                if not isinstance(raw_values, list) or not raw_values:
                    self.problem(join(path, "values"), "a choice attribute needs a non-empty list of values")
                elif not all(isinstance(v, str) for v in raw_values):
                    self.problem(join(path, "values"), "must be a list of strings")
                else:
                    values = tuple(raw_values)
                    for dup in sorted({v for v in values if values.count(v) > 1}):
                        self.problem(join(path, "values"), f"duplicate value {dup!r}")
            elif "values" in raw and type_ in ATTRIBUTE_TYPES:
                self.problem(join(path, "values"), f"only a choice attribute has values, not a {type_} one")
            low, high = raw.get("min"), raw.get("max")
            if type_ == "int":
                for key, bound in (("min", low), ("max", high)):
                    if bound is not None and not is_int(bound):
                        self.problem(join(path, key), f"must be a whole number, not {kind(bound)}")
                if isinstance(low, int) and isinstance(high, int) and is_int(low) and is_int(high) and low > high:
                    self.problem(path, f"min {low} is greater than max {high}")
            elif type_ in ATTRIBUTE_TYPES:
                for key in ("min", "max"):
                    if key in raw:
                        self.problem(join(path, key), f"only an int attribute has min and max, not a {type_} one")
            if name in declared:
                self.problem(path, f"duplicate attribute name {name!r}")
                continue
            if name:
                declared.add(name)
            if name and len(self.problems) == start:
                attr = Attribute(name=name, label=title, type=type_, values=values,
                                 min=low if is_int(low) else None, max=high if is_int(high) else None,
                                 default=raw.get("default"))
                if attr.default is not None and attr.problem(attr.default):
                    self.problem(join(path, "default"), attr.problem(attr.default) or "")
                result[name] = attr
        return result, declared

    def scales(self, data: dict) -> tuple[dict[str, Scale], set[str]]:
        """The valid scales, and the ids of every scale declared (valid or not)."""
        result: dict[str, Scale] = {}
        declared: set[str] = set()
        for index, raw in enumerate(self.items(data, "scales", "scales"), 1):
            path = label("scales", raw.get("id"), index)
            self.unknown_keys(raw, SCALE_KEYS, path)
            sid = self.string(raw, "id", path)
            title = self.string(raw, "label", path, required=False) or sid
            start = len(self.problems)
            raw_options = self.items(raw, "options", join(path, "options"), table="scales.options")
            if raw.get("options") == []:
                self.problem(join(path, "options"), "a scale needs at least one option")
            options: list[Option] = []
            keys: set[str] = set()
            hotkeys: dict[str, str] = {}
            for oindex, oraw in enumerate(raw_options, 1):
                oname = label("option", oraw.get("key"), oindex)
                opath = join(path, oname)
                self.unknown_keys(oraw, OPTION_KEYS, opath)
                okey = self.string(oraw, "key", opath)
                olabel = self.string(oraw, "label", opath)
                hotkey = self.hotkey(oraw, opath, hotkeys, oname)
                counts = self.string(oraw, "counts_as", opath)
                if counts and counts not in COUNTS_AS:
                    self.problem(join(opath, "counts_as"),
                                 f"unknown value {counts!r} (positive, negative or not_applicable)")
                if okey in keys:
                    self.problem(opath, f"duplicate option key {okey!r}")
                elif okey:
                    keys.add(okey)
                options.append(Option(okey, olabel, hotkey, counts))
            if sid in declared:
                self.problem(path, f"duplicate scale id {sid!r}")
            elif sid:
                declared.add(sid)
                if len(self.problems) == start:
                    result[sid] = Scale(sid, title, tuple(options))
        return result, declared

    def hotkey(self, raw: dict, path: str, taken: dict[str, str], option: str) -> str:
        """An option's hotkey: one printable character, free in its scale and on the review screen."""
        value = raw.get("hotkey")
        path = join(path, "hotkey")
        if value is None:
            self.problem(path, "missing field")
        elif not isinstance(value, str):
            self.problem(path, f"must be a string, not {kind(value)}")
        elif not value:
            self.problem(path, "must not be empty")
        elif len(value) != 1:
            self.problem(path, f"must be one character, not {value!r}")
        elif value in NAVIGATION_KEYS:
            self.problem(path, f"{key_name(value)} is the review screen's key for {NAVIGATION_KEYS[value]}")
        elif not value.isprintable():
            self.problem(path, f"must be a printable character, not {value!r}")
        elif value in taken:
            self.problem(path, f"{value!r} is also the hotkey of {taken[value]}")
        else:
            taken[value] = option
            return value
        return ""

    def sections(self, data: dict) -> dict[str, Section]:
        result: dict[str, Section] = {}
        for index, raw in enumerate(self.items(data, "sections", "sections", required=False), 1):
            path = label("sections", raw.get("code"), index)
            self.unknown_keys(raw, SECTION_KEYS, path)
            code = self.string(raw, "code", path)
            title = self.string(raw, "title", path)
            if code in result:
                self.problem(path, f"duplicate section code {code!r}")
            elif code:
                result[code] = Section(code, title)
        return result

    def criteria(self, criteria_raw: list[dict], scales, sections, context) -> list[Criterion]:
        result: list[Criterion] = []
        codes: set[str] = set()
        seen_questions: set[str] = set()
        for index, raw in enumerate(criteria_raw, 1):
            path = label("criteria", raw.get("code"), index)
            self.unknown_keys(raw, CRITERION_KEYS, path)
            code = self.string(raw, "code", path)
            title = self.string(raw, "title", path)
            section = self.string(raw, "section", path, required=bool(sections))
            if section and section not in sections:
                self.problem(join(path, "section"), f"unknown section {section!r}"
                             + ("" if sections else " (the questionnaire defines no sections)"))
            description = self.string(raw, "description", path, required=False)
            if code in codes:
                self.problem(path, f"duplicate criterion code {code!r}")
            elif code:
                codes.add(code)
            questions: list[Question] = []
            qraws = self.items(raw, "questions", join(path, "questions"), table="criteria.questions")
            if raw.get("questions") == []:
                self.problem(join(path, "questions"), "a criterion needs at least one question")
            for qindex, qraw in enumerate(qraws, 1):
                question = self.question(qraw, qindex, path, code, scales, context, seen_questions)
                if question:
                    questions.append(question)
            result.append(Criterion(code, title, section, description, tuple(questions)))
        return result

    def question(self, raw, index, cpath, code, scales, context, seen) -> Question | None:
        path = join(cpath, label("question", raw.get("id"), index))
        self.unknown_keys(raw, QUESTION_KEYS, path)
        qid = self.string(raw, "id", path)
        if qid and not ID_PATTERN.match(qid):
            self.problem(join(path, "id"), f"{qid!r} may only hold letters, digits, '.', '_' and '-'")
        text = self.string(raw, "text", path)
        guidance = self.string(raw, "guidance", path, required=False)
        finding = self.string(raw, "finding", path, required=False)
        scale = self.string(raw, "scale", path)
        if scale and scale not in scales:
            self.problem(join(path, "scale"), f"unknown scale {scale!r}")
        required = raw.get("required", True)
        if not isinstance(required, bool):
            self.problem(join(path, "required"), f"must be true or false, not {kind(required)}")
        scored, prompt_of = self.prompt_fields(raw, path)
        condition = None
        if "applies_when" in raw:
            condition = self.condition(raw["applies_when"], join(path, "applies_when"), context)
        if qid in seen:
            self.problem(path, f"duplicate question id {qid!r}")
            return None
        if qid:
            seen.add(qid)
        return Question(qid, code, text, guidance.strip(), scale, condition, required is not False,
                        finding.strip(), scored, prompt_of)


def _question_order(criteria_raw: list[dict]) -> tuple[list[str], dict[str, str]]:
    """Every question id in file order, and the scale each one names (first definition wins)."""
    ids: list[str] = []
    scale_of: dict[str, str] = {}
    for craw in criteria_raw:
        questions = craw.get("questions")
        for qraw in questions if isinstance(questions, list) else []:
            qid = qraw.get("id") if isinstance(qraw, dict) else None
            if isinstance(qid, str) and qid:
                ids.append(qid)
                if isinstance(qraw.get("scale"), str):
                    scale_of.setdefault(qid, qraw["scale"])
    return ids, scale_of
