#!/usr/bin/env bash
# Runs a command inside a private network namespace (the browser tests' network
# rule, shared/notes/browser-and-webrtc-tests.md): loopback up, a veth pair
# 10.213.0.1/24 <-> 10.213.0.2/24 whose ends both live in the namespace, and a
# default route via the other end so Chromium gathers WebRTC host candidates.
# Nothing can leave: the namespace has no link to the host's network. Servers
# the tests start listen on 127.0.0.1 inside it. Needs root (or CAP_SYS_ADMIN).
#
# Usage: scripts/netns-run.sh COMMAND [ARGS...]
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [ "${MEDCHAIN_IN_NETNS:-}" != "1" ]; then
  exec unshare --net -- env MEDCHAIN_IN_NETNS=1 "$0" "$@"
fi

ip link set lo up
ip link add mc-a type veth peer name mc-b
ip addr add 10.213.0.1/24 dev mc-a
ip addr add 10.213.0.2/24 dev mc-b
ip link set mc-a up
ip link set mc-b up
ip route add default via 10.213.0.2 dev mc-a
exec "$@"
