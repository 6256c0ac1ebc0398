-- MIN/MAX per group: deleting the cheapest product must not rescan the category.
CREATE STREAM TABLE category_price_range AS
SELECT category,
       min(price) AS cheapest,
       max(price) AS priciest,
       count(*)   AS products
FROM products
GROUP BY category;
