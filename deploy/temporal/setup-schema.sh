#!/bin/sh
# Creates Temporal's two databases on PostgreSQL and brings their schemas to the version of this
# temporal-sql-tool (create, then setup of the versioning table, then every pending update).
# Safe to run again: an existing database is kept and only missing updates are applied.
# Run by the `temporal-schema` job of docker-compose.yml (temporalio/admin-tools) and by
# `npm run e2e:cluster` (the sql tool built from the same server version), so both set up the
# schema the same way. temporal-sql-tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and
# SQL_PASSWORD from the environment.
set -eu
: "${SQL_PLUGIN:=postgres12}"
: "${SQL_PORT:=5432}"
export SQL_PLUGIN SQL_PORT

for pair in "${TEMPORAL_DBNAME:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  schema="postgresql/v12/${pair#*:}"
  # create-database fails when the database exists: that is the second run, not an error.
  temporal-sql-tool --db "$db" create-database || echo "database $db exists; keeping it"
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema --schema-name "$schema"
  echo "schema of $db ($schema) is up to date"
done
