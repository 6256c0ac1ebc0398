-- Sample rows for the demo's tables (examples/demo-schema.sql), in plain SQL so that psql alone
-- can load them: 40 customers, 24 products, 1,500 orders. Deterministic: every run loads the
-- same rows. `trickle demo` seeds its embedded database with its own generator instead.
INSERT INTO customers (id, name, region)
SELECT i, 'customer ' || i, (ARRAY['north', 'south', 'east', 'west', 'central'])[1 + (i * 7) % 5]
FROM generate_series(1, 40) AS i;

INSERT INTO products (id, name, category, price)
SELECT i, 'product ' || i,
       (ARRAY['books', 'games', 'garden', 'kitchen', 'music', 'toys'])[1 + (i - 1) % 6],
       (100 + (i * 7919) % 99900) / 100.0
FROM generate_series(1, 24) AS i;

INSERT INTO orders (id, customer_id, product_id, quantity, amount, status, ordered_at)
SELECT i,
       1 + (i * 17) % 40,
       1 + (i * 13) % 24,
       1 + i % 5,
       (500 + (i * 104729) % 120000) / 100.0,
       (ARRAY['new', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + (i * 3) % 5],
       timestamp '2026-01-01' + (i * 17291 % (86400 * 300)) * interval '1 second'
FROM generate_series(1, 1500) AS i;
