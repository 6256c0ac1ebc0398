-- The demo's source tables. `trickle demo` creates them in its embedded PostgreSQL;
-- run this file in your own database to try `trickle run --definitions examples/demo`.
CREATE TABLE customers (
  id     integer PRIMARY KEY,
  name   text    NOT NULL,
  region text    NOT NULL
);

CREATE TABLE products (
  id       integer       PRIMARY KEY,
  name     text          NOT NULL,
  category text          NOT NULL,
  price    numeric(10,2) NOT NULL
);

CREATE TABLE orders (
  id          bigint        PRIMARY KEY,
  customer_id integer       NOT NULL,
  product_id  integer       NOT NULL,
  quantity    integer       NOT NULL,
  amount      numeric(12,2) NOT NULL,
  status      text          NOT NULL,
  ordered_at  timestamp     NOT NULL
);
