-- A 3-table join with an aggregate: a customer moving region moves all its orders.
CREATE STREAM TABLE region_category_revenue AS
SELECT c.region,
       p.category,
       count(*)      AS orders,
       sum(o.amount) AS revenue,
       max(o.amount) AS largest_order
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN products p ON p.id = o.product_id
WHERE o.status <> 'cancelled'
GROUP BY c.region, p.category
HAVING count(*) > 0;
