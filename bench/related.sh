#!/usr/bin/env bash
# Related-news quality and speed: precision on real newswire text (the Reuters corpus in
# ../shared/corpora/reuters, topic overlap of the first five sidebar links), beside the
# scikit-learn TF-IDF baseline when scikit-learn is installed; same-story precision on the
# generated story corpus (../shared/bench/gen_corpus.py); and the related stage's time from
# `build --timings` (the second build of each site, so with the term counts cached).
#
# usage: bench/related.sh [SIZES...]      (generated corpus sizes; default: 2000 10000)
# needs: python3, a release build (cargo build --release), ../shared beside the repository
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/broadsheet"
shared="$here/../shared"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -d "$shared/bench" ] || { echo "needs ../shared (the team's bench folder) beside the repository" >&2; exit 1; }
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(2000 10000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stage() { # site -> the related stage of a second (cached) build
  "$bin" build -q -s "$1" >/dev/null
  "$bin" build -s "$1" --timings 2>&1 | sed -n 's/^ *related: *//p'
}

reuters="$shared/corpora/reuters"
if [ -d "$reuters/content" ]; then
  cp -r "$reuters/." "$work/reuters" && chmod -R u+w "$work/reuters"
  printf 'title = "Wire"\nbase_url = "https://example.org/"\n' >"$work/reuters/config.toml"
  time=$(stage "$work/reuters")
  echo "reuters (8,100 real stories): $(python3 "$shared/bench/score_topics.py" "$work/reuters/public" "$work/reuters/topics.json"), related stage $time"
  if python3 -c 'import sklearn' 2>/dev/null; then
    echo "  baseline: $(python3 "$shared/bench/tfidf_baseline.py" "$work/reuters" "$work/reuters/topics.json")"
  else
    echo "  baseline skipped: pip install scikit-learn"
  fi
else
  echo "reuters skipped: $reuters not found"
fi

for n in "${sizes[@]}"; do
  site="$work/gen$n"
  python3 "$shared/bench/gen_corpus.py" "$site" --articles "$n" >/dev/null
  printf 'title = "Bench"\nbase_url = "https://example.org/"\n' >"$site/config.toml"
  time=$(stage "$site")
  echo "generated $n: $(python3 "$shared/bench/score_related.py" "$site/public" "$site/truth.json"), related stage $time"
done
