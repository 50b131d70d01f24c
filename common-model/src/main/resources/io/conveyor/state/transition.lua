-- KEYS[1] task hash, KEYS[2] its failures list
-- ARGV[1]  new status
-- ARGV[2]  allowed current statuses, comma-separated (",QUEUED,RUNNING,")
-- ARGV[3]  updatedAt millis
-- ARGV[4]  attempts ('' keeps)
-- ARGV[5]  result JSON ('' keeps)
-- ARGV[6]  lastError JSON ('' keeps); also appended to the failures list
-- ARGV[7]  nextAttemptAt millis ('' keeps, '-' clears)
-- ARGV[8]  expire seconds (0: no expiry; -1: remove any expiry)
-- ARGV[9]  1 if terminal: publish the id on conveyor:terminal
-- ARGV[10..13] type, maxAttempts, createdAt millis, id: create the record when it is missing ('' to refuse)
-- Returns {outcome, previous status}: outcome 'ok', 'refused' or 'missing'.
local current = redis.call('HGET', KEYS[1], 'status')
local p = 'conveyor:idx:'
if not current then
  if ARGV[10] == '' then
    return {'missing', ''}
  end
  local id, ttype, created = ARGV[13], ARGV[10], ARGV[12]
  redis.call('HSET', KEYS[1], 'id', id, 'type', ttype, 'attempts', '0', 'maxAttempts', ARGV[11],
    'createdAt', created)
  redis.call('ZADD', p .. 'all', created, id)
  redis.call('ZADD', p .. 'type:' .. ttype, created, id)
  current = ''
elseif not string.find(ARGV[2], ',' .. current .. ',', 1, true) then
  return {'refused', current}
end
local id = redis.call('HGET', KEYS[1], 'id')
local ttype = redis.call('HGET', KEYS[1], 'type')
local created = redis.call('HGET', KEYS[1], 'createdAt')
local status = ARGV[1]
if current ~= status then
  if current ~= '' then
    redis.call('ZREM', p .. 'status:' .. current, id)
    redis.call('ZREM', p .. 'type:' .. ttype .. ':status:' .. current, id)
  end
  redis.call('ZADD', p .. 'status:' .. status, created, id)
  redis.call('ZADD', p .. 'type:' .. ttype .. ':status:' .. status, created, id)
end
redis.call('HSET', KEYS[1], 'status', status, 'updatedAt', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'attempts', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'result', ARGV[5]) end
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'lastError', ARGV[6])
  redis.call('RPUSH', KEYS[2], ARGV[6])
  redis.call('LTRIM', KEYS[2], -25, -1)
end
if ARGV[7] == '-' then
  redis.call('HDEL', KEYS[1], 'nextAttemptAt')
elseif ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'nextAttemptAt', ARGV[7])
end
local ttl = tonumber(ARGV[8])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
elseif ttl < 0 then
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[2])
end
if ARGV[9] == '1' then
  redis.call('PUBLISH', 'conveyor:terminal', id)
end
return {'ok', current}
