-- Filter and project over a comma join: keyed by the order's primary key.
CREATE STREAM TABLE large_orders AS
SELECT o.id, c.name AS customer, o.amount, o.status
FROM orders o, customers c
WHERE o.customer_id = c.id
  AND o.amount >= 900;
