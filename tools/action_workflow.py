"""Print action.yml's steps as a workflow, so that actionlint (which reads workflows only)
checks the action's expressions, contexts, `if:` conditions and the inputs of the actions it
uses. Usage: python tools/action_workflow.py action.yml > build/action-as-workflow.yml"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml


def as_workflow(action: dict[str, Any]) -> dict[str, Any]:
    inputs = {}
    for name, spec in action.get("inputs", {}).items():
        default = str(spec.get("default", ""))
        # An input's default may be an expression in an action, not in a reusable workflow.
        inputs[name] = {
            "type": "string",
            "required": False,
            "default": "" if "${{" in default else default,
        }
    return {
        "name": f"{action['name']} (action.yml as a workflow, for actionlint)",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def main() -> int:
    action = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    if action.get("runs", {}).get("using") != "composite":
        print(f"{sys.argv[1]}: not a composite action", file=sys.stderr)
        return 2
    sys.stdout.write(yaml.safe_dump(as_workflow(action), sort_keys=False, width=1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
