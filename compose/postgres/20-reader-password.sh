#!/bin/sh
# Run once by the postgres image, on its first start (docker-entrypoint-initdb.d), after 10-sample-db.sql has created
# the role conveyor_reader: gives it CONVEYOR_DB_PASSWORD, the password the workers connect with. psql reads the
# password from the environment (\getenv) and quotes it itself (:'password'): it is on no command line, and no
# character of it can change the statement.
if [ -z "${CONVEYOR_DB_PASSWORD:-}" ]; then
  echo "20-reader-password.sh: CONVEYOR_DB_PASSWORD is not set (see .env.example)" >&2
  exit 1
fi
psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
  --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
\getenv password CONVEYOR_DB_PASSWORD
ALTER ROLE conveyor_reader WITH LOGIN PASSWORD :'password';
SQL
