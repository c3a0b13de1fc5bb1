"""Line numbers from a composed YAML node tree, so validation messages can point at the line of a key."""
from __future__ import annotations

import yaml


def key_lines(node, offset: int = 1) -> dict[str, int]:
    """Line of each key of a mapping node (`offset` added to PyYAML's 0-based line)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + offset for k, _v in node.value}


def child(node, key: str):
    """The value node under `key` of a mapping node, or None."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None
