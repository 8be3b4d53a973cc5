"""Build each module's README.rst from its readme/ fragments (DESCRIPTION, CONFIGURE, USAGE).

python3 tools/module_readme.py          # write the files
python3 tools/module_readme.py --check  # exit 1 if one is out of date
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [("DESCRIPTION", None), ("CONFIGURE", "Configuration"), ("USAGE", "Usage")]


def _to_rst(markdown):
    # inline code: `x` -> ``x``; the rest of our fragments is already valid reStructuredText
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", markdown.strip())


def render(module_dir):
    manifest = ast.literal_eval((module_dir / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), "", manifest["summary"], ""]
    for fragment, heading in SECTIONS:
        path = module_dir / "readme" / f"{fragment}.md"
        if not path.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [_to_rst(path.read_text()), ""]
    parts += ["License", "=======", "", f"{manifest['license']}. Authors: {manifest['author']}.", ""]
    return "\n".join(parts)


def main(check=False):
    stale = []
    for manifest in sorted(ROOT.glob("addons/*/__manifest__.py")):
        module_dir = manifest.parent
        target = module_dir / "README.rst"
        content = render(module_dir)
        if check:
            if not target.exists() or target.read_text() != content:
                stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(content)
    if stale:
        print("out of date (run python3 tools/module_readme.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
