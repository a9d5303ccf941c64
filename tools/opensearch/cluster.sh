#!/usr/bin/env bash
# The development and CI search cluster: real OpenSearch nodes on 127.0.0.1, one JVM
# each, built from the jars Maven fetches for pom.xml (see ClusterNode.java).
#
#   cluster.sh start        fetch the jars if needed, start the nodes, wait, print the URL
#   cluster.sh stop         stop every node (each closes its shards cleanly)
#   cluster.sh stop-node K  stop node K only (tests: a node lost mid-run)
#   cluster.sh start-node K start node K again and wait until it has rejoined
#   cluster.sh status       the cluster's health, or "not running"
#
# Settings (environment): SEARCH_CLUSTER_NODES (2), SEARCH_CLUSTER_HTTP_PORT (9200; node K
# listens on HTTP_PORT+K-1), SEARCH_CLUSTER_TRANSPORT_PORT (9300), SEARCH_CLUSTER_DIR
# (var/search-cluster), SEARCH_CLUSTER_HEAP (512m per node), SEARCH_CLUSTER_JAVA_OPTS (the
# JVM's collector and compiler; the default starts fast for tests: the serial collector and
# the quick compiler only. For measuring, "-XX:+UseG1GC" gives the JVM's usual optimising
# compiler, as a production node runs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
nodes="${SEARCH_CLUSTER_NODES:-2}"
http_port="${SEARCH_CLUSTER_HTTP_PORT:-9200}"
transport_port="${SEARCH_CLUSTER_TRANSPORT_PORT:-9300}"
dir="${SEARCH_CLUSTER_DIR:-$root/var/search-cluster}"
heap="${SEARCH_CLUSTER_HEAP:-512m}"
read -r -a java_opts <<<"${SEARCH_CLUSTER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
url="http://127.0.0.1:$http_port"

die() { echo "search cluster: $*" >&2; exit 1; }

build() {
  command -v java >/dev/null || die "java is not installed (OpenSearch 2 needs Java 11 or later; Debian: openjdk-17-jre-headless)."
  command -v mvn >/dev/null || die "mvn is not installed (Debian: maven); it fetches OpenSearch's jars from Maven Central."
  local stamp="$here/target/.built-$(cksum <"$here/pom.xml" | cut -d' ' -f1)-$(cksum <"$here/src/main/java/org/verbatim/search/ClusterNode.java" | cut -d' ' -f1)"
  [ -f "$stamp" ] && return
  echo "search cluster: fetching OpenSearch's jars (Maven) and compiling the node launcher..."
  rm -rf "$here/target"
  (cd "$here" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=target/lib) || die "Maven could not fetch the jars (see above)."
  mkdir -p "$here/target/classes"
  javac -d "$here/target/classes" -cp "$here/target/lib/*" "$here/src/main/java/org/verbatim/search/ClusterNode.java"
  touch "$stamp"
}

pid_of() { cat "$dir/node-$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

health() { curl -fsS --max-time 5 "$url/_cluster/health?wait_for_nodes=$1&timeout=1s" 2>/dev/null || true; }

wait_for_nodes() {  # wait until the cluster sees $1 nodes, for at most 180 seconds
  for _ in $(seq 1 180); do
    if health "$1" | grep -q "\"number_of_nodes\":$1,"; then return 0; fi
    for k in $(seq 1 "$nodes"); do
      if [ -f "$dir/node-$k.pid" ] && ! running "$k"; then
        tail -n 30 "$dir/node-$k.out" >&2 || true
        die "node $k stopped while starting (its output is above and in $dir/node-$k.out)."
      fi
    done
    sleep 1
  done
  die "the cluster did not reach $1 nodes in 180 seconds (see $dir/node-*.out)."
}

start_node() {
  local k="$1"
  running "$k" && return
  mkdir -p "$dir"
  nohup java "-Xms$heap" "-Xmx$heap" "${java_opts[@]}" \
    -Dlog4j2.disable.jmx=true -Djava.awt.headless=true \
    -cp "$here/target/classes:$here/target/lib/*" org.verbatim.search.ClusterNode \
    "$k" "$nodes" "$dir" "$http_port" "$transport_port" >"$dir/node-$k.out" 2>&1 &
  echo $! >"$dir/node-$k.pid"
}

stop_node() {
  local k="$1" pid
  pid="$(pid_of "$k")"
  if running "$k"; then
    kill "$pid"
    for _ in $(seq 1 60); do running "$k" || break; sleep 0.5; done
    running "$k" && kill -9 "$pid"
  fi
  rm -f "$dir/node-$k.pid"
}

case "${1:-}" in
  start)
    build
    for k in $(seq 1 "$nodes"); do start_node "$k"; done
    wait_for_nodes "$nodes"
    echo "search cluster: $nodes OpenSearch nodes up at $url (SEARCH_URL=opensearch://127.0.0.1:$http_port/verbatim)"
    ;;
  stop)
    for k in $(seq "$nodes" -1 1); do stop_node "$k"; done
    echo "search cluster: stopped"
    ;;
  stop-node) stop_node "${2:?which node}" ;;
  start-node) build; start_node "${2:?which node}"; wait_for_nodes "$nodes" ;;
  status) health 1 || echo "not running" ;;
  *) die "usage: cluster.sh start|stop|stop-node K|start-node K|status" ;;
esac
