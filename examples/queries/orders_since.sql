-- Orders placed on or after a day, with their customer, oldest first.
-- @param since date
SELECT o.id, c.name AS customer, c.country, o.status, o.total, o.placed_at
  FROM shop.orders o
  JOIN shop.customers c ON c.id = o.customer
 WHERE o.placed_at >= :since
 ORDER BY o.placed_at, o.id
