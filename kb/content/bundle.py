"""Everything an installation serves, loaded and checked together: the articles, books and onboarding paths
under content/ and the call guides under scripts_library/ (they link to one another)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb.content.loader import ContentSet, check_guide_links, load_content
from kb.content.problems import HasProblems, Problem
from kb.guides.loader import GuideSet, load_guides
from kb.paths.loader import PathSet, load_paths


@dataclass
class Bundle(HasProblems):
    content: ContentSet
    guides: GuideSet
    paths: PathSet

    @property
    def problems(self) -> list[Problem]:
        return self.content.problems + self.guides.problems + self.paths.problems


def load_bundle(content_dir: Path, guides_dir: Path) -> Bundle:
    content = load_content(Path(content_dir))
    guides = load_guides(Path(guides_dir), set(content.articles))
    check_guide_links(content, set(guides.guides))
    paths = load_paths(Path(content_dir), set(content.articles), set(guides.guides))
    return Bundle(content=content, guides=guides, paths=paths)
