-- A small shop to run db_query against: the compose stack's PostgreSQL loads it on its first start
-- (docker-entrypoint-initdb.d), and the queries in examples/queries/ read it. Idempotent: it can be run again.
CREATE SCHEMA IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.customers (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL,
    country    text NOT NULL
);

CREATE TABLE IF NOT EXISTS shop.orders (
    id         integer PRIMARY KEY,
    customer   integer NOT NULL REFERENCES shop.customers (id),
    status     text NOT NULL CHECK (status IN ('open', 'paid', 'shipped', 'cancelled')),
    total      numeric(10, 2) NOT NULL,
    placed_at  timestamptz NOT NULL
);

INSERT INTO shop.customers (id, name, email, country)
SELECT g, 'Customer ' || g, 'customer' || g || '@example.com', (ARRAY['DE', 'FR', 'JP', 'US', 'BR'])[1 + g % 5]
  FROM generate_series(1, 200) AS g
ON CONFLICT (id) DO NOTHING;

-- 5,000 orders over the year before 2026-12-01, spread deterministically.
INSERT INTO shop.orders (id, customer, status, total, placed_at)
SELECT g,
       1 + (g * 37) % 200,
       (ARRAY['open', 'paid', 'shipped', 'cancelled'])[1 + (g * 7) % 4],
       round(((g * 7919) % 50000) / 100.0 + 5, 2),
       timestamptz '2025-12-01 00:00:00+00' + (g * interval '105 minutes')
  FROM generate_series(1, 5000) AS g
ON CONFLICT (id) DO NOTHING;

-- Who db_query connects as: a role that can only read the shop. The read-only transaction each query runs in is the
-- second line of defence, not the first. Its password is set by the compose stack's init script.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'conveyor_reader') THEN
        CREATE ROLE conveyor_reader LOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA shop TO conveyor_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA shop TO conveyor_reader;
