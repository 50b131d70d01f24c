-- KEYS[1] task hash
-- ARGV: id, type, status, maxAttempts, createdAtMillis, nextAttemptAtMillis ('' for none)
-- Returns 1 when created, 0 when the task already exists (nothing changes).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local id, ttype, status, created = ARGV[1], ARGV[2], ARGV[3], ARGV[5]
redis.call('HSET', KEYS[1], 'id', id, 'type', ttype, 'status', status, 'attempts', '0',
  'maxAttempts', ARGV[4], 'createdAt', created, 'updatedAt', created)
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'nextAttemptAt', ARGV[6])
end
local p = 'conveyor:idx:'
redis.call('ZADD', p .. 'all', created, id)
redis.call('ZADD', p .. 'type:' .. ttype, created, id)
redis.call('ZADD', p .. 'status:' .. status, created, id)
redis.call('ZADD', p .. 'type:' .. ttype .. ':status:' .. status, created, id)
return 1
