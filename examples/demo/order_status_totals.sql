-- A GROUP BY aggregate: orders move between groups when their status changes.
CREATE STREAM TABLE order_status_totals AS
SELECT status,
       count(*)      AS orders,
       sum(amount)   AS revenue,
       avg(quantity) AS avg_quantity
FROM orders
GROUP BY status;
