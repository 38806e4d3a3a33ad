#!/usr/bin/python3
"""Executes Kotlin notebooks headless and checks them; called by notebooks/run (read that first).

For each notebook: runs every cell with the kernel named in its metadata (the kernel process starts
in the notebook's folder, so relative paths resolve against it), then fails it when
  - a cell raised (an `error` output or an error execute_reply), or
  - a cell wrote a Kotlin compile/runtime error to stderr (the Kotlin kernel reports those as
    stderr streams, e.g. "Line_3.jupyter.kts (1:14 - 17) Type mismatch ..."), or
  - no output line has the form  CLAIM <name>: PASS <details>  or any has  CLAIM <name>: FAIL ...
Writes the executed notebook to --out (default target/notebooks/) or, with --write, over the input.

This is nbconvert's ExecutePreprocessor machinery (nbclient) with one addition: kernel 0.11.0-398
sends update_display_data messages without a parent header, which nbclient would drop; they are
applied here so the saved notebook keeps the final state of live displays (training curves).
"""
import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

CLAIM = re.compile(r"^CLAIM (?P<name>[^:]+): (?P<verdict>PASS|FAIL)\b(?P<details>.*)$", re.M)
# What the Kotlin kernel writes to a cell's stderr when the cell fails to compile or throws.
KOTLIN_ERROR = re.compile(
    r"(\.jupyter\.kts \(\d+:\d+ - \d+\))"            # compiler diagnostics
    r"|(^[\w.$]+(Exception|Error)(:|$))"               # uncaught throwable: "java.lang.IllegalStateException: ..."
    r"|(^\s+at [\w.$<>]+\(.*\)$)",                     # stack trace lines
    re.M)


class KotlinNotebookClient(NotebookClient):
    """NotebookClient that also applies display updates sent without a parent header, and times cells."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_seconds = {}

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        start = time.time()
        try:
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            self.cell_seconds[cell_index] = time.time() - start

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except Exception as e:  # CellExecutionComplete ends the cell
                    if type(e).__name__ == "CellExecutionComplete":
                        return
                    raise
            elif msg["msg_type"] == "update_display_data" and not msg["parent_header"]:
                display_id = msg["content"].get("transient", {}).get("display_id")
                if display_id:
                    self._update_display_id(display_id, msg)


def text_of(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return data.get("text/plain", "") if isinstance(data.get("text/plain", ""), str) else ""


def check(nb):
    """(problems, claims) found in an executed notebook."""
    problems, claims = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                m = KOTLIN_ERROR.search(out.get("text", ""))
                if m:
                    problems.append(f"cell {i}: error on stderr: {out['text'].strip()[:800]}")
            for m in CLAIM.finditer(text_of(out)):
                claims.append((m["name"].strip(), m["verdict"], m["details"].strip()))
    return problems, claims


def run_one(path, out_path, timeout, kernel):
    nb = nbformat.read(path, as_version=4)
    client = KotlinNotebookClient(
        nb, timeout=timeout, kernel_name=kernel or nb.metadata.get("kernelspec", {}).get("name", "anneal-kotlin"),
        allow_errors=False, record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.time()
    problems = []
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        what = f"{getattr(e, 'ename', '')}: {getattr(e, 'evalue', '')}" if getattr(e, "ename", None) else str(e).strip()[-800:]
        problems.append(f"execution stopped: {type(e).__name__}: {what}")
    seconds = time.time() - start
    slow = sorted(client.cell_seconds.items(), key=lambda kv: -kv[1])[:3]
    print("  slowest cells: " + ", ".join(f"#{i} {s:.1f} s" for i, s in slow), flush=True)
    more, claims = check(nb)
    problems += more
    if not claims:
        problems.append("no CLAIM line (each notebook must print at least one 'CLAIM <name>: PASS|FAIL <details>')")
    for name, verdict, details in claims:
        if verdict != "PASS":
            problems.append(f"claim '{name}' failed: {details}")
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    nbformat.write(nb, out_path)
    return seconds, claims, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--write", action="store_true", help="save outputs into the notebooks themselves")
    ap.add_argument("--out", default="target/notebooks", help="folder for executed copies (without --write)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    ap.add_argument("--kernel", default=None, help="kernel name (default: the notebook's kernelspec)")
    args = ap.parse_args()
    failed = []
    for path in args.notebooks:
        out_path = path if args.write else os.path.join(args.out, os.path.basename(path))
        print(f"notebooks: executing {path}", flush=True)
        seconds, claims, problems = run_one(path, out_path, args.timeout, args.kernel)
        for name, verdict, details in claims:
            print(f"  CLAIM {name}: {verdict} {details}")
        status = "FAILED" if problems else "ok"
        print(f"  {status} in {seconds:.1f} s -> {out_path}", flush=True)
        for p in problems:
            print(f"  problem: {p}")
        if problems:
            failed.append(path)
    if failed:
        print(f"notebooks: {len(failed)} of {len(args.notebooks)} failed: {' '.join(failed)}")
        sys.exit(1)
    print(f"notebooks: all {len(args.notebooks)} passed")


if __name__ == "__main__":
    main()
