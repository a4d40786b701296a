#!/usr/bin/env bash
# Makes sure the loopback services that the fidelity tests talk to are up: PostgreSQL 5432, MariaDB 3306, Redis 6379,
# RabbitMQ 5672, Mosquitto 1883 and NATS 4222 (the tcp faults' tests),
# and that Debian's chromium is installed for the HTML report's browser test.
# Starts a stopped one with this machine's start command; fails loudly when one cannot be started.
set -euo pipefail

port_open() { (echo > "/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

wait_port() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do port_open "$port" && return 0; sleep 1; done
  echo "services: $name did not come up on 127.0.0.1:$port" >&2
  exit 1
}

start_service() {
  local name=$1 port=$2; shift 2
  if port_open "$port"; then echo "services: $name is up on $port"; return 0; fi
  echo "services: starting $name"
  "$@" || { echo "services: could not start $name (is it installed? the DB and cache tests need it on 127.0.0.1:$port)" >&2; exit 1; }
  wait_port "$name" "$port"
}

start_service PostgreSQL 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start'
start_service MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
start_service Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
start_service RabbitMQ 5672 rabbitmq-server -detached
start_service Mosquitto 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf
start_service NATS 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log

# The HTML report's end-to-end test drives Debian's chromium (never a browser that a tool downloads).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Debian's chromium for the HTML report's browser test"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "services: could not install chromium (apt-get, as root); the HTML report's browser test needs /usr/bin/chromium" >&2; exit 1; }
fi
