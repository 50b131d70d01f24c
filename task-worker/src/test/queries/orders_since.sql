-- Orders placed on or after a day, with every kind of column a report meets.
-- @param since date
-- @param min_total numeric
SELECT id, customer, total, paid, placed_at, placed_on, details, note
  FROM conveyor_test_dbq.orders
 WHERE placed_on >= :since AND total >= :min_total
 ORDER BY id
