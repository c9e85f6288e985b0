"""Print `[[tool.mypy.overrides]]` blocks that switch off, module by module, the error codes a
mypy run reported (the "known type errors" list in pyproject.toml), for merged code that is
not yet clean: `DEBUG=true .venv/bin/mypy > out.txt; python scripts/mypy_debt.py out.txt`."""

import collections
import re
import sys


def module_of(path: str) -> str:
    name = path.removeprefix("src/").removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def main(report: str) -> None:
    codes: dict[str, set[str]] = collections.defaultdict(set)
    with open(report) as lines:
        for line in lines:
            found = re.match(r"(\S+?\.py):(?:\d+:)? error: .*\[([a-z-]+)\]$", line.strip())
            if found:
                codes[module_of(found[1])].add(found[2])
    groups: dict[tuple[str, ...], list[str]] = collections.defaultdict(list)
    for module, module_codes in codes.items():
        groups[tuple(sorted(module_codes))].append(module)
    for group_codes, modules in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print("[[tool.mypy.overrides]]")
        print("module = [\n" + "".join(f'    "{m}",\n' for m in sorted(modules)) + "]")
        print("disable_error_code = [" + ", ".join(f'"{c}"' for c in group_codes) + "]\n")


if __name__ == "__main__":
    main(sys.argv[1])
