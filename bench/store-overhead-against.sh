#!/bin/bash
# Store overhead of two crit binaries side by side: 1000 trivial runs (bench/store-overhead.yaml)
# into a fresh SQLite file and into PostgreSQL (scripts/start-postgres.sh), 1 and 2 workers,
# alternating the binaries for three rounds so that the machine's drift hits both.
#   bash bench/store-overhead-against.sh OLD_CRIT [NEW_CRIT]
set -e
old=${1:?usage: store-overhead-against.sh OLD_CRIT [NEW_CRIT]}
new=${2:-.build/release/crit}
url=${CRIT_POSTGRES_URL:-$url}
here=$(cd "$(dirname "$0")" && pwd)
for round in 1 2 3; do
  for which in old new; do
    bin=${!which}
    for jobs in 1 2; do
      name=ovh-$which-$round-$jobs-$RANDOM
      sed "s/^name: store-overhead/name: $name/" $here/store-overhead.yaml > /tmp/$name.yaml
      rm -f /tmp/$name.sqlite*
      s=$($bin sweep /tmp/$name.yaml --store sqlite:/tmp/$name.sqlite --jobs $jobs --quiet | grep "this invocation" | grep -o "([0-9.]* runs/s)")
      p=$($bin sweep /tmp/$name.yaml --store $url --jobs $jobs --quiet | grep "this invocation" | grep -o "([0-9.]* runs/s)")
      echo "round $round $which jobs=$jobs sqlite $s postgres $p"
    done
  done
done
