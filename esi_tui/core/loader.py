"""Read a questionnaire TOML file, reporting every problem at once (one line each)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from esi_tui.core.conditions import (
    ANSWER_OPS,
    ATTRIBUTE_OPS,
    INT_OPS,
    AllOf,
    AnswerTest,
    AnyOf,
    AttributeTest,
    Condition,
    Not,
    Ref,
    walk,
)
from esi_tui.core.keys import NAVIGATION_KEYS
from esi_tui.core.questionnaire import (
    ATTRIBUTE_TYPES,
    COUNTS_AS,
    Attribute,
    Band,
    Criterion,
    Option,
    Question,
    Questionnaire,
    Scale,
    Section,
)

TOP_KEYS = {"id", "title", "version", "description", "conditions", "attributes", "scales",
            "sections", "bands", "criteria"}
ATTRIBUTE_KEYS = {"name", "label", "type", "values", "min", "max", "default"}
SCALE_KEYS = {"id", "label", "options"}
OPTION_KEYS = {"key", "label", "hotkey", "counts_as"}
SECTION_KEYS = {"code", "title"}
BAND_KEYS = {"min", "label"}
CRITERION_KEYS = {"code", "title", "section", "description", "questions"}
QUESTION_KEYS = {"id", "text", "guidance", "scale", "applies_when", "required", "finding"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TOML_POSITION = re.compile(r"^(?P<what>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


class QuestionnaireError(Exception):
    """A questionnaire file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems")
        self.problems = problems


def content_hash(text: str) -> str:
    """The hash that tells whether a questionnaire file changed since an inspection was made."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_file(path: str | Path) -> Questionnaire:
    """Load and check a questionnaire file; raises QuestionnaireError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise QuestionnaireError([f"{path}: cannot read: {reason}"]) from None
    return loads(text, name=str(path))


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
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = TOML_POSITION.match(str(exc))
        if match:
            raise QuestionnaireError(
                [f"{name}:{match['line']}:{match['col']}: TOML syntax error: {match['what']}"]
            ) from None
        raise QuestionnaireError([f"{name}: TOML syntax error: {exc}"]) from None
    checker = _Checker(name)
    questionnaire = checker.build(data, text)
    if checker.problems:
        raise QuestionnaireError(checker.problems)
    return questionnaire


def _path(*parts: str) -> str:
    return " > ".join(p for p in parts if p)


class _Checker:
    """Builds the model while collecting problems instead of stopping at the first."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{self.name}: {path}: {message}" if path else f"{self.name}: {message}")

    def unknown_keys(self, table: dict, allowed: set[str], path: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(_path(path, key), "unknown field")

    def string(self, table: dict, key: str, path: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(_path(path, key), "missing field")
            return ""
        if not isinstance(value, str):
            self.problem(_path(path, key), f"must be a string, not {_kind(value)}")
            return ""
        if required and not value.strip():
            self.problem(_path(path, key), "must not be empty")
        return value

    def items(self, data: dict, key: str, path: str, required: bool = True) -> list[dict]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(path, "missing field")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(path, f"must be an array of tables ([[{key}]])")
            return []
        return value

    def build(self, data: dict, text: str) -> Questionnaire:
        self.unknown_keys(data, TOP_KEYS, "")
        qid = self.string(data, "id", "")
        if qid and not ID_PATTERN.match(qid):
            self.problem("id", f"{qid!r} may only hold letters, digits, '.', '_' and '-'")
        title = self.string(data, "title", "")
        version = data.get("version")
        if version is None:
            self.problem("version", "missing field")
        elif not isinstance(version, (str, int, float)) or isinstance(version, bool):
            self.problem("version", f"must be a string, not {_kind(version)}")
        description = self.string(data, "description", "", required=False)
        attributes = self.attributes(data)
        scales = self.scales(data)
        sections = self.sections(data)
        bands = self.bands(data)
        named_raw = data.get("conditions", {})
        if not isinstance(named_raw, dict):
            self.problem("conditions", "must be a table of named conditions")
            named_raw = {}
        criteria_raw = self.items(data, "criteria", "criteria")
        question_ids = self.question_order(criteria_raw)
        context = _ConditionContext(attributes, scales, question_ids, set(named_raw))
        for craw in criteria_raw:
            for qraw in craw.get("questions") or []:
                if isinstance(qraw, dict) and isinstance(qraw.get("id"), str):
                    context.scale_of.setdefault(qraw["id"], qraw.get("scale"))
        named: dict[str, Condition] = {}
        for cname, raw in named_raw.items():
            cond = self.condition(raw, f"conditions {cname}", context)
            if cond is not None:
                named[cname] = cond
        criteria = self.criteria(criteria_raw, scales, sections, context)
        self.cycles(named, criteria)
        return Questionnaire(
            id=qid, title=title, version=str(version) if version is not None else "",
            description=description, attributes=attributes, scales=scales, sections=sections,
            criteria=tuple(criteria), bands=bands, conditions=named, source=text,
            content_hash=content_hash(text),
        )

    def attributes(self, data: dict) -> dict[str, Attribute]:
        result: dict[str, Attribute] = {}
        for index, raw in enumerate(self.items(data, "attributes", "attributes", required=False)):
            name = raw.get("name")
            path = f"attributes {name}" if isinstance(name, str) and name else f"attributes[{index + 1}]"
            self.unknown_keys(raw, ATTRIBUTE_KEYS, path)
            name = self.string(raw, "name", path)
            label = self.string(raw, "label", path, required=False) or name
            kind = self.string(raw, "type", path)
            if kind and kind not in ATTRIBUTE_TYPES:
                self.problem(_path(path, "type"), f"unknown type {kind!r} (choice, bool or int)")
            values: tuple[str, ...] = ()
            if kind == "choice":
                raw_values = raw.get("values")
                if not isinstance(raw_values, list) or not raw_values:
                    self.problem(_path(path, "values"), "a choice attribute needs a non-empty list of values")
                elif not all(isinstance(v, str) for v in raw_values):
                    self.problem(_path(path, "values"), "values must be strings")
                else:
                    values = tuple(raw_values)
                    for dup in sorted({v for v in values if values.count(v) > 1}):
                        self.problem(_path(path, "values"), f"duplicate value {dup!r}")
            elif "values" in raw:
                self.problem(_path(path, "values"), f"only a choice attribute has values, not {kind or 'this one'}")
            low, high = raw.get("min"), raw.get("max")
            if kind == "int":
                for key, bound in (("min", low), ("max", high)):
                    if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
                        self.problem(_path(path, key), f"must be a whole number, not {_kind(bound)}")
                if isinstance(low, int) and isinstance(high, int) and low > high:
                    self.problem(path, f"min {low} is greater than max {high}")
            else:
                for key in ("min", "max"):
                    if key in raw:
                        self.problem(_path(path, key), "only an int attribute has min and max")
            if name in result:
                self.problem(path, f"duplicate attribute name {name!r}")
            elif name and kind in ATTRIBUTE_TYPES:
                attr = Attribute(name=name, label=label, type=kind, values=values,
                                 min=low if isinstance(low, int) else None,
                                 max=high if isinstance(high, int) else None,
                                 default=raw.get("default"))
                if attr.default is not None and attr.problem(attr.default):
                    self.problem(_path(path, "default"), attr.problem(attr.default) or "")
                result[name] = attr
        return result

    def scales(self, data: dict) -> dict[str, Scale]:
        result: dict[str, Scale] = {}
        for index, raw in enumerate(self.items(data, "scales", "scales")):
            sid = raw.get("id")
            path = f"scales {sid}" if isinstance(sid, str) and sid else f"scales[{index + 1}]"
            self.unknown_keys(raw, SCALE_KEYS, path)
            sid = self.string(raw, "id", path)
            label = self.string(raw, "label", path, required=False) or sid
            options: list[Option] = []
            keys: set[str] = set()
            hotkeys: dict[str, str] = {}
            raw_options = self.items(raw, "options", _path(path, "options"))
            if "options" in raw and not raw_options and isinstance(raw.get("options"), list):
                self.problem(_path(path, "options"), "a scale needs at least one option")
            for oindex, oraw in enumerate(raw_options):
                okey = oraw.get("key")
                opath = _path(path, f"option {okey}" if isinstance(okey, str) and okey else f"option[{oindex + 1}]")
                self.unknown_keys(oraw, OPTION_KEYS, opath)
                okey = self.string(oraw, "key", opath)
                olabel = self.string(oraw, "label", opath)
                hotkey = self.string(oraw, "hotkey", opath)
                counts = self.string(oraw, "counts_as", opath)
                if hotkey and len(hotkey) != 1:
                    self.problem(_path(opath, "hotkey"), f"must be one character, not {hotkey!r}")
                elif hotkey in NAVIGATION_KEYS:
                    self.problem(_path(opath, "hotkey"),
                                 f"{hotkey!r} is the app's key for {NAVIGATION_KEYS[hotkey]}")
                elif hotkey in hotkeys:
                    self.problem(_path(opath, "hotkey"), f"{hotkey!r} is also the hotkey of option {hotkeys[hotkey]!r}")
                elif hotkey:
                    hotkeys[hotkey] = okey
                if counts and counts not in COUNTS_AS:
                    self.problem(_path(opath, "counts_as"),
                                 f"unknown value {counts!r} (positive, negative or not_applicable)")
                if okey in keys:
                    self.problem(opath, f"duplicate option key {okey!r}")
                keys.add(okey)
                options.append(Option(okey, olabel, hotkey, counts))
            if sid in result:
                self.problem(path, f"duplicate scale id {sid!r}")
            elif sid:
                result[sid] = Scale(sid, label, tuple(options))
        return result

    def sections(self, data: dict) -> dict[str, Section]:
        result: dict[str, Section] = {}
        for index, raw in enumerate(self.items(data, "sections", "sections", required=False)):
            code = raw.get("code")
            path = f"sections {code}" if isinstance(code, str) and code else f"sections[{index + 1}]"
            self.unknown_keys(raw, SECTION_KEYS, path)
            code = self.string(raw, "code", path)
            title = self.string(raw, "title", path)
            if code in result:
                self.problem(path, f"duplicate section code {code!r}")
            elif code:
                result[code] = Section(code, title)
        return result

    def bands(self, data: dict) -> tuple[Band, ...]:
        result: list[Band] = []
        for index, raw in enumerate(self.items(data, "bands", "bands", required=False)):
            path = f"bands[{index + 1}]"
            self.unknown_keys(raw, BAND_KEYS, path)
            label = self.string(raw, "label", path)
            low = raw.get("min")
            if low is None:
                self.problem(_path(path, "min"), "missing field")
            elif not isinstance(low, (int, float)) or isinstance(low, bool) or not 0 <= low <= 100:
                self.problem(_path(path, "min"), f"must be a percentage from 0 to 100, not {low!r}")
            elif any(b.min == low for b in result):
                self.problem(_path(path, "min"), f"another band also starts at {low}")
            else:
                result.append(Band(float(low), label))
        return tuple(result)

    def question_order(self, criteria_raw: list[dict]) -> list[str]:
        ids: list[str] = []
        for craw in criteria_raw:
            questions = craw.get("questions")
            if isinstance(questions, list):
                ids += [q["id"] for q in questions if isinstance(q, dict) and isinstance(q.get("id"), str)]
        return ids

    def criteria(self, criteria_raw, scales, sections, context) -> list[Criterion]:
        result: list[Criterion] = []
        codes: set[str] = set()
        seen_questions: set[str] = set()
        for index, raw in enumerate(criteria_raw):
            code = raw.get("code")
            path = f"criteria {code}" if isinstance(code, str) and code else f"criteria[{index + 1}]"
            self.unknown_keys(raw, CRITERION_KEYS, path)
            code = self.string(raw, "code", path)
            title = self.string(raw, "title", path)
            section = self.string(raw, "section", path, required=bool(sections))
            if section and sections and section not in sections:
                self.problem(_path(path, "section"), f"unknown section {section!r}")
            description = self.string(raw, "description", path, required=False)
            if code in codes:
                self.problem(path, f"duplicate criterion code {code!r}")
            codes.add(code)
            questions: list[Question] = []
            qraws = self.items(raw, "questions", _path(path, "questions"))
            if "questions" in raw and not qraws and isinstance(raw.get("questions"), list):
                self.problem(_path(path, "questions"), "a criterion needs at least one question")
            for qindex, qraw in enumerate(qraws):
                question = self.question(qraw, qindex, path, code, scales, context, seen_questions)
                if question:
                    questions.append(question)
            result.append(Criterion(code, title, section, description, tuple(questions)))
        return result

    def question(self, raw, index, cpath, code, scales, context, seen) -> Question | None:
        qid = raw.get("id")
        path = _path(cpath, f"question {qid}" if isinstance(qid, str) and qid else f"question[{index + 1}]")
        self.unknown_keys(raw, QUESTION_KEYS, path)
        qid = self.string(raw, "id", path)
        if qid and not ID_PATTERN.match(qid):
            self.problem(_path(path, "id"), f"{qid!r} may only hold letters, digits, '.', '_' and '-'")
        text = self.string(raw, "text", path)
        guidance = self.string(raw, "guidance", path, required=False)
        finding = self.string(raw, "finding", path, required=False)
        scale = self.string(raw, "scale", path)
        if scale and scale not in scales:
            self.problem(_path(path, "scale"), f"unknown scale {scale!r}")
        required = raw.get("required", True)
        if not isinstance(required, bool):
            self.problem(_path(path, "required"), f"must be true or false, not {_kind(required)}")
        if qid in seen:
            self.problem(path, f"duplicate question id {qid!r}")
            return None
        seen.add(qid)
        condition = None
        if "applies_when" in raw:
            context.current = qid
            condition = self.condition(raw["applies_when"], _path(path, "applies_when"), context)
        return Question(qid, code, text, guidance.strip(), scale, condition, required is not False,
                        finding.strip())

    def condition(self, raw, path: str, ctx: "_ConditionContext") -> Condition | None:
        if not isinstance(raw, dict):
            self.problem(path, f"a condition must be a table, not {_kind(raw)}")
            return None
        forms = [k for k in ("attribute", "answer", "all_of", "any_of", "not", "ref") if k in raw]
        if len(forms) != 1:
            what = "none" if not forms else ", ".join(forms)
            self.problem(path, "a condition needs exactly one of attribute, answer, all_of, any_of, "
                               f"not, ref (found {what})")
            return None
        form = forms[0]
        if form in ("all_of", "any_of"):
            self.unknown_keys(raw, {form}, path)
            items = raw[form]
            if not isinstance(items, list) or not items:
                self.problem(_path(path, form), "must be a non-empty list of conditions")
                return None
            parsed = [self.condition(item, _path(path, f"{form}[{i + 1}]"), ctx) for i, item in enumerate(items)]
            if any(p is None for p in parsed):
                return None
            return (AllOf if form == "all_of" else AnyOf)(tuple(parsed))  # type: ignore[arg-type]
        if form == "not":
            self.unknown_keys(raw, {"not"}, path)
            inner = self.condition(raw["not"], _path(path, "not"), ctx)
            return Not(inner) if inner is not None else None
        if form == "ref":
            self.unknown_keys(raw, {"ref"}, path)
            if raw["ref"] not in ctx.named:
                self.problem(_path(path, "ref"), f"unknown condition {raw['ref']!r}")
                return None
            return Ref(raw["ref"])
        ops = [k for k in raw if k != form]
        allowed = ATTRIBUTE_OPS if form == "attribute" else ANSWER_OPS
        bad = [k for k in ops if k not in allowed]
        for key in bad:
            self.problem(_path(path, key), f"unknown operator (use one of {', '.join(allowed)})")
        if bad:
            return None
        if len(ops) != 1:
            self.problem(path, f"a test needs exactly one operator ({', '.join(allowed)})")
            return None
        op, value = ops[0], raw[ops[0]]
        if form == "attribute":
            return self.attribute_test(raw["attribute"], op, value, path, ctx)
        return self.answer_test(raw["answer"], op, value, path, ctx)

    def attribute_test(self, name, op, value, path, ctx) -> Condition | None:
        attr = ctx.attributes.get(name) if isinstance(name, str) else None
        if attr is None:
            self.problem(_path(path, "attribute"), f"unknown attribute {name!r}")
            return None
        if op in INT_OPS:
            if attr.type != "int":
                self.problem(_path(path, op), f"{op} compares numbers, but {name} is a {attr.type} attribute")
                return None
            if not isinstance(value, int) or isinstance(value, bool):
                self.problem(_path(path, op), f"must be a whole number, not {_kind(value)}")
                return None
            return AttributeTest(name, op, value)
        values = value if op in ("in", "not_in") else [value]
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.problem(_path(path, op), "must be a non-empty list of values")
            return None
        ok = True
        for item in values:
            problem = attr.problem(item)
            if problem:
                self.problem(_path(path, op), f"value {item!r} is not allowed: {problem}")
                ok = False
        if not ok:
            return None
        return AttributeTest(name, op, tuple(value) if op in ("in", "not_in") else value)

    def answer_test(self, qid, op, value, path, ctx) -> Condition | None:
        if not isinstance(qid, str) or qid not in ctx.question_ids:
            self.problem(_path(path, "answer"), f"unknown question {qid!r}")
            return None
        values = value if op in ("in", "not_in") else [value]
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.problem(_path(path, op), "must be a non-empty list of option keys")
            return None
        scale = ctx.scales.get(ctx.scale_of.get(qid, ""))
        if scale is not None:
            for item in values:
                if scale.option(item) is None:
                    self.problem(_path(path, op), f"{item!r} is not an option of {qid}'s scale {scale.id!r}")
                    return None
        return AnswerTest(qid, op, tuple(value) if op in ("in", "not_in") else value)

    def cycles(self, named: dict[str, Condition], criteria: list[Criterion]) -> None:
        """Report reference loops between named conditions and questions' answer tests."""
        graph: dict[str, set[str]] = {}
        for cname, cond in named.items():
            graph[f"condition {cname}"] = _edges(cond)
        order = [q.id for c in criteria for q in c.questions]
        for criterion in criteria:
            for q in criterion.questions:
                graph[f"question {q.id}"] = _edges(q.applies_when)
        reported: set[frozenset[str]] = set()
        for start in graph:
            cycle = _find_cycle(graph, start)
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                self.problem("", "condition cycle: " + " -> ".join(cycle + [cycle[0]]))
        in_cycle = {node for group in reported for node in group}
        position = {qid: i for i, qid in enumerate(order)}
        for criterion in criteria:
            for q in criterion.questions:
                if f"question {q.id}" in in_cycle:
                    continue
                for node in walk(q.applies_when):
                    if isinstance(node, AnswerTest) and position.get(node.question, -1) >= position[q.id]:
                        self.problem(_path(f"criteria {criterion.code}", f"question {q.id}", "applies_when"),
                                     f"reads the answer to {node.question}, which is not an earlier question")


class _ConditionContext:
    def __init__(self, attributes, scales, question_ids, named):
        self.attributes = attributes
        self.scales = scales
        self.question_ids = set(question_ids)
        self.named = named
        self.scale_of: dict[str, str] = {}
        self.current = ""


def _edges(condition: Condition | None) -> set[str]:
    edges: set[str] = set()
    for node in walk(condition):
        if isinstance(node, Ref):
            edges.add(f"condition {node.name}")
        elif isinstance(node, AnswerTest):
            edges.add(f"question {node.question}")
    return edges


def _find_cycle(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A cycle through `start`, as the list of nodes from start, or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return trail
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)
