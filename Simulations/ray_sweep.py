#!/usr/bin/env python3
"""Run a `moeserve sweep` grid (or random search) on a Ray cluster, one Ray task per configuration.

The driver asks the binary for the sweep's configurations, CSV header and fingerprint
(`moeserve sweep ... --print-configurations`), submits one Ray task per configuration that runs
`moeserve sweep` with that configuration's single values and its own CSV, and gathers the rows into one
CSV in the same format and order as `moeserve sweep --csv` writes. An existing CSV is resumed: its rows
are kept (they must carry the same fingerprint) and only missing configurations run. Feeding the result to
`moeserve sweep --csv FILE` with the same arguments prints the frontier without simulating anything.

    python3 Simulations/ray_sweep.py --moeserve .build/release/moeserve --csv sweep.csv -- \
        --scenario Simulations/mixtral-8x7b-azure-sweep.yaml --vary scheduler.max_num_seqs=16,64 --slo ttft=2s,tpot=50ms

Ray is an existing distributed engine (https://docs.ray.io): `ray.init(address=...)` joins a cluster,
`--num-cpus` starts a local one. The binary and the scenario's files must be reachable at the same paths
on every node.
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile


def sweep_plan(moeserve, sweep_args):
    """The configurations, header and fingerprint of the sweep `sweep_args` describes."""
    result = subprocess.run([moeserve, "sweep", *sweep_args, "--print-configurations"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"moeserve sweep --print-configurations failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def single_configuration_args(sweep_args, configuration):
    """`sweep_args` with every --vary replaced by one --vary KEY=VALUE per key of `configuration`."""
    args, skip = [], False
    for arg in sweep_args:
        if skip:
            skip = False
            continue
        if arg == "--vary":
            skip = True
            continue
        if arg.startswith("--vary="):
            continue
        args.append(arg)
    for key, value in configuration:
        args += ["--vary", f"{key}={value}"]
    return args


def read_rows(path, header, fingerprint):
    """Rows of an existing sweep CSV by their key values; exits if it belongs to another sweep."""
    if not os.path.exists(path):
        return {}
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0] != header:
        sys.exit(f"{path}: its header is not this sweep's; use another --csv or remove it")
    keys = len(header) - 1 - METRIC_COLUMNS
    stored = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            continue  # a row cut short by an interruption: it runs again
        if row[0] != fingerprint:
            sys.exit(f"{path}:{number}: written by another sweep (fingerprint {row[0]}, this one {fingerprint})")
        stored[tuple(row[1 : 1 + keys])] = row
    return stored


METRIC_COLUMNS = 16  # status ... output_throughput, as moeserve's SweepLedger writes them


def format_row(row):
    """One CSV line as moeserve writes it (RFC 4180 quoting only where needed, LF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moeserve", required=True, help="path of the moeserve binary on every node")
    parser.add_argument("--csv", required=True, help="the sweep CSV to write (and resume from)")
    parser.add_argument("--address", help="Ray cluster to join (default: start a local one)")
    parser.add_argument("--num-cpus", type=int, help="CPUs of a local Ray instance")
    parser.add_argument("sweep_args", nargs=argparse.REMAINDER, help="-- then the moeserve sweep arguments")
    options = parser.parse_args()
    sweep_args = options.sweep_args[1:] if options.sweep_args[:1] == ["--"] else options.sweep_args
    moeserve = os.path.abspath(options.moeserve)

    plan = sweep_plan(moeserve, sweep_args)
    header, fingerprint = plan["header"], plan["fingerprint"]
    stored = read_rows(options.csv, header, fingerprint)
    missing = [c for c in plan["configurations"] if tuple(v for _, v in c) not in stored]

    import ray  # imported here so that --help works without Ray

    ray.init(address=options.address, num_cpus=options.num_cpus, include_dashboard=False, log_to_driver=False)

    @ray.remote
    def run_configuration(configuration):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "row.csv")
            args = [moeserve, "sweep", *single_configuration_args(sweep_args, configuration), "--csv", path]
            result = subprocess.run(args, capture_output=True, text=True, cwd=os.getcwd())
            if result.returncode != 0:
                raise RuntimeError(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
            with open(path, newline="") as handle:
                rows = list(csv.reader(handle))
        return configuration, rows[1]

    pending = [run_configuration.remote(c) for c in missing]
    done = 0
    with open(options.csv, "a" if stored else "w", newline="") as handle:
        if not stored:
            handle.write(format_row(header))
        while pending:
            finished, pending = ray.wait(pending, num_returns=1)
            configuration, row = ray.get(finished[0])
            stored[tuple(v for _, v in configuration)] = row
            handle.write(format_row(row))  # streamed as tasks end, so an interrupted run resumes
            handle.flush()
            done += 1
            print(f"\r{done}/{len(missing)} configurations", end="", file=sys.stderr, flush=True)
    if missing:
        print(file=sys.stderr)
    ray.shutdown()

    ordered = [stored[tuple(v for _, v in c)] for c in plan["configurations"]]
    ordered_keys = {tuple(v for _, v in c) for c in plan["configurations"]}
    others = [row for key, row in stored.items() if key not in ordered_keys]
    with open(options.csv + ".tmp", "w", newline="") as handle:
        handle.write(format_row(header))
        for row in ordered + others:
            handle.write(format_row(row))
    os.replace(options.csv + ".tmp", options.csv)


if __name__ == "__main__":
    main()
