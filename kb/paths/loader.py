"""Onboarding paths from `content/paths/*.yaml`: ordered steps (an article to read or a guide to practise), each
with check questions. Validation names the file and line; a broken path is refused and the others load.
No Flask, no database."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.content import yaml_nodes
from kb.content.problems import ERROR, HasProblems, Problem, WARNING

PATHS_DIR = "paths"
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
STEPS_MIN, STEPS_MAX = 6, 25
CHECKS_MIN, CHECKS_MAX = 1, 3
OPTIONS_MIN, OPTIONS_MAX = 2, 6
EXPLANATION_MAX = 120
FIELDS = {"id", "title", "audience", "estimated_minutes", "description", "steps"}


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]
    answer: frozenset[int]  # indexes of the right options
    multiple: bool  # answered by ticking several
    explanation: str

    def is_right(self, chosen: set[int]) -> bool:
        return frozenset(chosen) == self.answer

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.text, "options": list(self.options),
                "answer": sorted(self.answer) if self.multiple else next(iter(self.answer)),
                "explanation": self.explanation}


@dataclass(frozen=True)
class Step:
    kind: str  # "article" | "guide"
    target: str  # article slug or guide id
    checks: tuple[Question, ...]

    @property
    def key(self) -> str:
        """Identifies the step within its path, whatever its position."""
        return f"{self.kind}:{self.target}"

    def to_dict(self) -> dict[str, Any]:
        return {self.kind: self.target, "checks": [q.to_dict() for q in self.checks]}


@dataclass
class LearningPathDef:
    id: str
    title: str
    audience: str
    estimated_minutes: int
    description: str
    steps: list[Step]
    path: str = ""

    def step(self, number: int) -> Step:
        """1-based."""
        return self.steps[number - 1]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "audience": self.audience,
                "estimated_minutes": self.estimated_minutes, "description": self.description,
                "steps": [s.to_dict() for s in self.steps]}

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str = "") -> LearningPathDef:
        steps = [_step(raw, [], "", {}) for raw in data["steps"]]
        return cls(id=data["id"], title=data["title"], audience=data["audience"],
                   estimated_minutes=int(data["estimated_minutes"]), description=data["description"],
                   steps=[s for s in steps if s is not None], path=path)


@dataclass
class PathSet(HasProblems):
    paths: dict[str, LearningPathDef] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_paths(content_dir: Path, article_slugs: set[str] | None = None, guide_ids: set[str] | None = None) -> PathSet:
    folder = Path(content_dir) / PATHS_DIR
    result = PathSet()
    if not folder.is_dir():
        return result
    base = Path(content_dir).parent
    for file in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        try:
            shown = file.relative_to(base).as_posix()
        except ValueError:
            shown = str(file)
        learning_path, problems = parse_path(file, shown, article_slugs, guide_ids)
        result.problems.extend(problems)
        if learning_path is None:
            continue
        if learning_path.id in result.paths:
            result.problems.append(Problem(shown, 1, f"路径编号 “{learning_path.id}” 重复"))
            continue
        result.paths[learning_path.id] = learning_path
    return result


def parse_path(file: Path, shown: str, article_slugs: set[str] | None,
               guide_ids: set[str] | None) -> tuple[LearningPathDef | None, list[Problem]]:
    problems: list[Problem] = []

    def add(line: int | None, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(shown, line, message, severity))

    try:
        text = file.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        add(None, f"无法读取文件（需要 UTF-8）：{exc}")
        return None, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        add(mark.line + 1 if mark else None, f"YAML 格式错误：{exc.problem or exc}")
        return None, problems
    if not isinstance(data, dict):
        add(1, "路径文件应是“字段: 值”的映射")
        return None, problems

    key_lines = yaml_nodes.key_lines(root)
    for key in data:
        if key not in FIELDS:
            add(key_lines.get(str(key)), f"未知字段 {key}", WARNING)
    for key in ("id", "title", "audience", "estimated_minutes", "description", "steps"):
        if data.get(key) in (None, "", []):
            add(1, f"缺少字段 {key}")
    path_id = str(data.get("id") or "")
    if path_id and (not ID_RE.fullmatch(path_id) or path_id != file.stem):
        add(key_lines.get("id"), f"路径编号 “{path_id}” 应与文件名 {file.stem} 相同，且只用小写字母、数字和连字符")
    minutes = data.get("estimated_minutes")
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0):
        add(key_lines.get("estimated_minutes"), "estimated_minutes 应为正整数（分钟）")
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list):
        add(key_lines.get("steps"), "steps 应为列表")
        raw_steps = []
    step_nodes = yaml_nodes.child(root, "steps")
    step_lines = [n.start_mark.line + 1 for n in step_nodes.value] if isinstance(step_nodes, yaml.SequenceNode) else []
    if raw_steps and not STEPS_MIN <= len(raw_steps) <= STEPS_MAX:
        add(key_lines.get("steps"), f"有 {len(raw_steps)} 步，应为 {STEPS_MIN}–{STEPS_MAX} 步", WARNING)

    steps: list[Step] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_steps):
        line = step_lines[index] if index < len(step_lines) else None
        before = len(problems)
        step = _step(raw, problems, shown, {"line": line, "number": index + 1})
        if step is None or len(problems) > before and any(p.severity == ERROR for p in problems[before:]):
            continue
        where = f"第 {index + 1} 步"
        if step.kind == "article" and article_slugs is not None and step.target not in article_slugs:
            add(line, f"{where}：文章 “{step.target}” 不存在")
            continue
        if step.kind == "guide" and guide_ids is not None and step.target not in guide_ids:
            add(line, f"{where}：通话指南 “{step.target}” 不存在")
            continue
        if step.key in seen:
            add(line, f"{where}：{step.target} 在本路径里出现了两次")
            continue
        seen.add(step.key)
        steps.append(step)
    if any(p.severity == ERROR for p in problems):
        return None, problems
    return LearningPathDef(id=path_id, title=str(data["title"]).strip(), audience=str(data["audience"]).strip(),
                           estimated_minutes=int(minutes), description=str(data["description"]).strip(),
                           steps=steps, path=shown), problems


def _step(raw: Any, problems: list[Problem], shown: str, where: dict) -> Step | None:
    """One step; problems go to `problems` (pass an empty list and no location for trusted data)."""
    line, number = where.get("line"), where.get("number")
    label = f"第 {number} 步" if number else "步骤"

    def add(message: str, severity: str = ERROR) -> None:
        problems.append(Problem(shown, line, f"{label}：{message}", severity))

    if not isinstance(raw, dict):
        add("应写成 {article: 文章} 或 {guide: 指南}，并带 checks")
        return None
    kinds = [k for k in ("article", "guide") if raw.get(k)]
    if len(kinds) != 1:
        add("要么是 article（读一篇文章），要么是 guide（练习一个通话指南），二选一")
        return None
    kind = kinds[0]
    raw_checks = raw.get("checks") or []
    if not isinstance(raw_checks, list):
        add("checks 应为列表")
        return None
    if not CHECKS_MIN <= len(raw_checks) <= CHECKS_MAX and number:
        add(f"有 {len(raw_checks)} 道题，应为 {CHECKS_MIN}–{CHECKS_MAX} 道", WARNING)
    checks = []
    for q_number, item in enumerate(raw_checks, start=1):
        question = _question(item, lambda m, s=ERROR, n=q_number: add(f"第 {n} 题{m}", s))
        if question is not None:
            checks.append(question)
    return Step(kind=kind, target=str(raw[kind]).strip(), checks=tuple(checks))


def _question(item: Any, add) -> Question | None:
    if not isinstance(item, dict):
        add("应写成 {question, options, answer, explanation}")
        return None
    text = str(item.get("question") or "").strip()
    options = item.get("options")
    explanation = str(item.get("explanation") or "").strip()
    if not text:
        add("缺少题目 question")
        return None
    if not isinstance(options, list) or not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        add(f"options 应列出 {OPTIONS_MIN}–{OPTIONS_MAX} 个选项")
        return None
    answer = item.get("answer")
    multiple = isinstance(answer, list)
    indexes = answer if multiple else [answer]
    if answer is None or not indexes or not all(isinstance(i, int) and not isinstance(i, bool) for i in indexes):
        add("没有正确答案：answer 应为选项序号（从 0 开始），多选题写成列表")
        return None
    if any(not 0 <= i < len(options) for i in indexes):
        add(f"answer {answer} 超出选项范围 0–{len(options) - 1}")
        return None
    if len(set(indexes)) != len(indexes):
        add("answer 里有重复的序号")
        return None
    if not explanation:
        add("缺少 explanation：答错时要给出的一句解释")
        return None
    if len(explanation) > EXPLANATION_MAX:
        add(f"explanation 超过 {EXPLANATION_MAX} 个字符", WARNING)
    return Question(text=text, options=tuple(str(o).strip() for o in options), answer=frozenset(indexes),
                    multiple=multiple, explanation=explanation)
