"""Runs the walk of docs/walk.md (the ```sh blocks between <!-- walk:start --> and <!-- walk:end -->) as
written, in one bash session, and compares each block's output with the ```text block that
follows it in docs/walk.md. What changes from run to run (ids, secrets, signatures, times) is
masked on both sides; the addresses of a stack on other ports are written back as the defaults.

    readme_walk.py check --cwd DIR [--front HOST:PORT] [--sandbox HOST:PORT]
    readme_walk.py write --cwd DIR ...      put this run's outputs into docs/walk.md

DIR must hold .state/dev-token (the walk reads it as written). Standard library only.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WALK = os.path.join(ROOT, "docs", "walk.md")
FRONT, SANDBOX = "127.0.0.1:8080", "127.0.0.1:8090"
BLOCK = re.compile(r"```(sh|text)\n(.*?)```\n?|@@OUT\d+@@\n?", re.S)
MASKS = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_<secret>"),
    (re.compile(r"msg_[0-9a-f]+"), "msg_<id>"),
    (re.compile(r"v1,[A-Za-z0-9+/=]+"), "v1,<signature>"),
    (re.compile(r'"webhook-timestamp": "\d+"'), '"webhook-timestamp": "<time>"'),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"), "<time>"),
]


def walk_section(text):
    start = text.index("<!-- walk:start -->")
    end = text.index("<!-- walk:end -->")
    return start, end


def steps(text):
    """[(command, expected output or None, (start, end) of that output in docs/walk.md)]."""
    start, end = walk_section(text)
    found = []
    for match in BLOCK.finditer(text, start, end):
        if match.group(1) == "sh":
            found.append([match.group(2), None, None])
        elif found and found[-1][2] is None:
            found[-1][1] = match.group(2) if match.group(1) == "text" else None
            found[-1][2] = (match.start(), match.end())
    return found


def mask(text, front, sandbox):
    text = text.replace(front, FRONT).replace(sandbox, SANDBOX)
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text.rstrip("\n")


def run(commands, cwd, front, sandbox):
    script = ["set -euo pipefail"]
    for number, command in enumerate(commands):
        script.append(f"echo '@@step {number}@@'")
        script.append(command.replace(FRONT, front).replace(SANDBOX, sandbox))
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=cwd, capture_output=True, text=True, timeout=600)
    parts = re.split(r"@@step \d+@@\n", done.stdout)[1:]
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"the walk stopped at step {len(parts)} of {len(commands)} (exit {done.returncode})")
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["check", "write"])
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--front", default=FRONT)
    parser.add_argument("--sandbox", default=SANDBOX)
    args = parser.parse_args()

    with open(WALK) as f:
        text = f.read()
    found = steps(text)
    outputs = run([command for command, _, _ in found], args.cwd, args.front, args.sandbox)
    if args.mode == "write":
        for (_, _, span), output in reversed(list(zip(found, outputs))):
            if span is None:
                continue
            body = output.replace(args.front, FRONT).replace(args.sandbox, SANDBOX)
            text = text[:span[0]] + ("```text\n" + body + "```\n" if body.strip() else "") + text[span[1]:]
        with open(WALK, "w") as f:
            f.write(text)
        print(f"wrote the outputs of {len(outputs)} steps into docs/walk.md")
        return
    failures = 0
    for number, ((command, expected, _), output) in enumerate(zip(found, outputs)):
        got = mask(output, args.front, args.sandbox)
        want = mask(expected or "", FRONT, SANDBOX)
        if got != want:
            failures += 1
            print(f"step {number}: the output differs from docs/walk.md's:", file=sys.stderr)
            sys.stderr.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "docs/walk.md", "this run"))
            print(file=sys.stderr)
    print(f"    {len(found)} steps of the walk of docs/walk.md ran as written; {len(found) - failures} gave the output shown")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
