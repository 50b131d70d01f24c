-- Paid and shipped revenue per country between two days (the second excluded).
-- @param from date
-- @param to date
SELECT c.country, count(*) AS orders, sum(o.total) AS revenue
  FROM shop.orders o
  JOIN shop.customers c ON c.id = o.customer
 WHERE o.status IN ('paid', 'shipped')
   AND o.placed_at >= :from AND o.placed_at < :to
 GROUP BY c.country
 ORDER BY revenue DESC
