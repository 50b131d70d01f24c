-- Orders in one status (open, paid, shipped or cancelled), newest first.
-- @param status text
SELECT id, customer, total, placed_at
  FROM shop.orders
 WHERE status = :status
 ORDER BY placed_at DESC, id
