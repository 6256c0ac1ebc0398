create table customers (id int primary key, name text not null, region varchar(20), tier char(3));
create table orders (id bigint primary key, customer_id int not null, amount numeric(10,2),
  qty smallint, placed date, note jsonb, weight real, score double precision,
  ts timestamp, tstz timestamptz);
create table items (order_id bigint, line int, product_id int, price numeric(12,2),
  primary key (order_id, line));
create table products (id int primary key, name text);
create table events (kind text, n int);
create table audit (kind text, n int);
alter table audit replica identity full;
create schema sales;
create table sales.targets (region varchar(20) primary key, target numeric);
create view big_orders as select id, customer_id, amount from orders where amount > 100;
create view latest_orders as select distinct on (customer_id) customer_id, id from orders
  order by customer_id, id desc;
create table docs (id uuid primary key, body text);
-- Text whose order trickle can reproduce (code point) and text it cannot (ICU English).
create table people (id int primary key, code text collate "C", name text collate "en-x-icu",
  nick varchar(20) collate ucs_basic);
-- Case-insensitive: equal strings can differ, which the runtime cannot reproduce.
create collation ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
create table labels (id int primary key, label text collate ci);
create table series (id int primary key, lo int, hi bigint, step int);
create table arrs (id int primary key, tags text[], nums int[], amounts numeric[]);
-- jsonb, json and uuid columns (a json column is passed through only).
create table payloads (id uuid primary key, doc jsonb, owner uuid);
create table raw_payloads (id int primary key, raw json);
