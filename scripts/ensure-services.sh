#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1, and that Chromium is installed:
# use the running services; otherwise start them from installed binaries;
# otherwise install them from Debian's packages. Fails loudly, never skips.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
apt_install() {
  echo "installing $* from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q "$@" >/dev/null; }
}
wait_for() {  # wait_for NAME CHECK: up to 30 s
  for _ in $(seq 1 60); do "$2" && return 0; sleep 0.5; done
  echo "$1 did not come up on 127.0.0.1" >&2; return 1
}

if ! pg_up; then
  if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt_install postgresql
    version=$(ls /etc/postgresql | head -1)
    # Tests connect as postgres over TCP without a password, as on the project's machines.
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  wait_for PostgreSQL pg_up
fi

if ! redis_up; then
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/cercle-test.log
  wait_for Redis redis_up
fi

command -v chromium >/dev/null || apt_install chromium
echo "services: PostgreSQL and Redis answer on 127.0.0.1; chromium at $(command -v chromium)"
