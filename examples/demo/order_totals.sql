-- A global aggregate: always exactly one row.
CREATE STREAM TABLE order_totals AS
SELECT count(*)        AS orders,
       sum(amount)     AS revenue,
       min(ordered_at) AS first_order,
       max(ordered_at) AS last_order
FROM orders;
