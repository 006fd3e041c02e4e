#!/usr/bin/env bash
# Runs every benchmark of larkgen and prints one table (see BENCHMARKS.md).
#
#   bench/run.sh quick   Baike v1 + 100 synthetic endpoints, 256 MiB download (a few minutes
#                        once the bench tools are built; the first run builds them)
#   bench/run.sh full    adds 1,000 synthetic endpoints, 1 GiB download, longer runs,
#                        and section `openlark` (2 pairs of each cold build, debug, release and
#                        the check: ≈ 15 min on 2 idle cores; `quick --only openlark`: 1 debug pair each)
#
# Extra arguments go to bench/bench.py: `--only gen,json` runs some sections,
# `--reps N` changes the number of repetitions (default 5; medians are reported),
# `--corpus DIR` names the Lark OpenAPI corpus (default corpus/lark-openapi/openapi, or
# $BENCH_CORPUS). Section `openlark` builds bench/apps/{larkgen,openlark}-im cold (crates.io
# access the first time, to fetch openlark 0.21); section `corpus` runs larkgen and progenitor
# on the corpus.
# BENCH_BEFORE=REV adds the CLI built at commit REV to the `alloc` section.
# Bench programs build into bench/target (override with BENCH_TARGET); outputs and
# results.json go to bench/out. Neither is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-quick}"
case "$mode" in
  quick|full) shift || true ;;
  *) echo "usage: bench/run.sh quick|full [--only SECTIONS] [--reps N] [--corpus DIR]" >&2; exit 2 ;;
esac

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (for peak RSS)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time >&2; else sudo apt-get install -y -qq time >&2; fi
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

exec python3 bench/bench.py "$mode" "$@"
